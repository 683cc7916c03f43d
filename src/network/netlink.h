// The links, addresses and routes podlet changes, behind a narrow interface over
// libnl-route-3. A Netlink object talks to the network namespace its socket was
// opened in: the calling thread's (the "host" side), or another one by fd.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "network/ipv4.h"

struct nl_sock;

namespace podlet::network {

class Netlink {
 public:
  // A socket in the calling thread's network namespace.
  Netlink();
  // A socket in the namespace `netns_fd` refers to (opened from a short-lived
  // thread that joins it, so the caller's own namespace never changes).
  static Netlink in_netns(int netns_fd);

  Netlink(Netlink&&) noexcept;
  Netlink& operator=(Netlink&&) noexcept;
  ~Netlink();

  // Interface index, or 0 when no link has that name.
  int link_index(const std::string& name);
  bool link_exists(const std::string& name) { return link_index(name) != 0; }
  std::string link_type(const std::string& name);  // "bridge", "veth", "" (none/unknown)
  unsigned link_mtu(const std::string& name);
  bool link_is_up(const std::string& name);
  std::string link_master(const std::string& name);  // "" when not enslaved

  void create_bridge(const std::string& name, unsigned mtu /* 0: kernel default */);
  // A veth pair: `host_name` stays here, `peer_name` is created directly inside
  // the namespace `peer_netns_fd`. Both ends get `mtu` (0: kernel default).
  void create_veth(const std::string& host_name, const std::string& peer_name, int peer_netns_fd,
                   unsigned mtu);
  // Throws when the link does not exist; delete_link_if_exists does not.
  void delete_link(const std::string& name);
  bool delete_link_if_exists(const std::string& name);
  void set_master(const std::string& name, const std::string& master);
  void set_up(const std::string& name);
  void set_mtu(const std::string& name, unsigned mtu);

  // Adds ADDRESS/PREFIX (with its broadcast); an address already there is fine.
  void add_address(const std::string& link, Ipv4 address, int prefix);
  std::vector<Ipv4Net> addresses(const std::string& link);  // address/prefix pairs (host bits kept)
  // default via `gateway` dev `link` in the main table.
  void add_default_route(const std::string& link, Ipv4 gateway);
  bool has_default_route_via(Ipv4 gateway);

 private:
  explicit Netlink(nl_sock* sock);
  nl_sock* sock_ = nullptr;
};

}  // namespace podlet::network
