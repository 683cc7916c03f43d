#include "network/netlink.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include <cstring>
#include <utility>

#include "base/error.h"
#include "network/netns_thread.h"

namespace podlet::network {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    if (p) Free(p);
  }
};
using LinkPtr = std::unique_ptr<rtnl_link, Deleter<rtnl_link_put>>;
using AddrPtr = std::unique_ptr<nl_addr, Deleter<nl_addr_put>>;
using RtAddrPtr = std::unique_ptr<rtnl_addr, Deleter<rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, Deleter<rtnl_route_put>>;
using CachePtr = std::unique_ptr<nl_cache, Deleter<nl_cache_free>>;

// libnl returns -NLE_* codes; nl_geterror names them.
Error nl_error(const std::string& what, int err) {
  return Error(what + ": " + nl_geterror(err));
}

void check(int err, const std::string& what) {
  if (err < 0) throw nl_error(what, err);
}

LinkPtr alloc_link() {
  LinkPtr link(rtnl_link_alloc());
  if (!link) throw Error("netlink: out of memory");
  return link;
}

AddrPtr ipv4_addr(Ipv4 ip, int prefix) {
  uint32_t be = htonl(ip.value);
  AddrPtr addr(nl_addr_build(AF_INET, &be, sizeof be));
  if (!addr) throw Error("netlink: out of memory");
  nl_addr_set_prefixlen(addr.get(), prefix);
  return addr;
}

Ipv4 to_ipv4(nl_addr* addr) {
  uint32_t be = 0;
  std::memcpy(&be, nl_addr_get_binary_addr(addr), sizeof be);
  return Ipv4{ntohl(be)};
}

nl_sock* open_socket() {
  nl_sock* sock = nl_socket_alloc();
  if (!sock) throw Error("netlink: cannot allocate a socket");
  int err = nl_connect(sock, NETLINK_ROUTE);
  if (err < 0) {
    nl_socket_free(sock);
    throw nl_error("netlink: connect", err);
  }
  return sock;
}

}  // namespace

Netlink::Netlink() : sock_(open_socket()) {}
Netlink::Netlink(nl_sock* sock) : sock_(sock) {}
Netlink::Netlink(Netlink&& other) noexcept : sock_(std::exchange(other.sock_, nullptr)) {}
Netlink& Netlink::operator=(Netlink&& other) noexcept {
  if (this != &other) {
    if (sock_) nl_socket_free(sock_);
    sock_ = std::exchange(other.sock_, nullptr);
  }
  return *this;
}
Netlink::~Netlink() {
  if (sock_) nl_socket_free(sock_);
}

Netlink Netlink::in_netns(int netns_fd) {
  // The socket stays bound to the namespace it was created in.
  return Netlink(run_in_netns(netns_fd, [] { return open_socket(); }));
}

namespace {
LinkPtr get_link(nl_sock* sock, const std::string& name) {
  rtnl_link* link = nullptr;
  int err = rtnl_link_get_kernel(sock, 0, name.c_str(), &link);
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return nullptr;
  check(err, "get link " + name);
  return LinkPtr(link);
}

LinkPtr require_link(nl_sock* sock, const std::string& name) {
  LinkPtr link = get_link(sock, name);
  if (!link) throw Error("link " + name + " does not exist");
  return link;
}
}  // namespace

int Netlink::link_index(const std::string& name) {
  LinkPtr link = get_link(sock_, name);
  return link ? rtnl_link_get_ifindex(link.get()) : 0;
}

std::string Netlink::link_type(const std::string& name) {
  LinkPtr link = get_link(sock_, name);
  const char* type = link ? rtnl_link_get_type(link.get()) : nullptr;
  return type ? type : "";
}

unsigned Netlink::link_mtu(const std::string& name) {
  return rtnl_link_get_mtu(require_link(sock_, name).get());
}

bool Netlink::link_is_up(const std::string& name) {
  return (rtnl_link_get_flags(require_link(sock_, name).get()) & IFF_UP) != 0;
}

std::string Netlink::link_master(const std::string& name) {
  int master = rtnl_link_get_master(require_link(sock_, name).get());
  if (master == 0) return "";
  rtnl_link* link = nullptr;
  check(rtnl_link_get_kernel(sock_, master, nullptr, &link), "get link " + std::to_string(master));
  LinkPtr owned(link);
  return rtnl_link_get_name(owned.get());
}

void Netlink::create_bridge(const std::string& name, unsigned mtu) {
  LinkPtr link(rtnl_link_bridge_alloc());
  if (!link) throw Error("netlink: out of memory");
  rtnl_link_set_name(link.get(), name.c_str());
  if (mtu) rtnl_link_set_mtu(link.get(), mtu);
  check(rtnl_link_add(sock_, link.get(), NLM_F_CREATE | NLM_F_EXCL), "create bridge " + name);
}

void Netlink::create_veth(const std::string& host_name, const std::string& peer_name, int peer_netns_fd,
                          unsigned mtu) {
  std::unique_ptr<rtnl_link, Deleter<rtnl_link_veth_release>> link(rtnl_link_veth_alloc());
  if (!link) throw Error("netlink: out of memory");
  LinkPtr peer(rtnl_link_veth_get_peer(link.get()));  // a new reference
  rtnl_link_set_name(link.get(), host_name.c_str());
  rtnl_link_set_name(peer.get(), peer_name.c_str());
  rtnl_link_set_ns_fd(peer.get(), peer_netns_fd);
  if (mtu) {
    rtnl_link_set_mtu(link.get(), mtu);
    rtnl_link_set_mtu(peer.get(), mtu);
  }
  check(rtnl_link_add(sock_, link.get(), NLM_F_CREATE | NLM_F_EXCL),
        "create veth pair " + host_name + " / " + peer_name);
}

void Netlink::delete_link(const std::string& name) {
  if (!delete_link_if_exists(name)) throw Error("delete link " + name + ": no such link");
}

bool Netlink::delete_link_if_exists(const std::string& name) {
  LinkPtr link = alloc_link();
  rtnl_link_set_name(link.get(), name.c_str());
  int err = rtnl_link_delete(sock_, link.get());
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return false;
  check(err, "delete link " + name);
  return true;
}

void Netlink::set_master(const std::string& name, const std::string& master) {
  int master_index = rtnl_link_get_ifindex(require_link(sock_, master).get());
  int index = rtnl_link_get_ifindex(require_link(sock_, name).get());
  check(rtnl_link_enslave_ifindex(sock_, master_index, index), "attach " + name + " to " + master);
}

void Netlink::set_up(const std::string& name) {
  LinkPtr link = require_link(sock_, name);
  LinkPtr change = alloc_link();
  rtnl_link_set_flags(change.get(), IFF_UP);
  check(rtnl_link_change(sock_, link.get(), change.get(), 0), "set link " + name + " up");
}

void Netlink::set_mtu(const std::string& name, unsigned mtu) {
  LinkPtr link = require_link(sock_, name);
  LinkPtr change = alloc_link();
  rtnl_link_set_mtu(change.get(), mtu);
  check(rtnl_link_change(sock_, link.get(), change.get(), 0),
        "set mtu " + std::to_string(mtu) + " on " + name);
}

void Netlink::add_address(const std::string& link, Ipv4 address, int prefix) {
  int index = rtnl_link_get_ifindex(require_link(sock_, link).get());
  RtAddrPtr addr(rtnl_addr_alloc());
  if (!addr) throw Error("netlink: out of memory");
  rtnl_addr_set_ifindex(addr.get(), index);
  rtnl_addr_set_family(addr.get(), AF_INET);
  AddrPtr local = ipv4_addr(address, prefix);
  check(rtnl_addr_set_local(addr.get(), local.get()), "address " + to_string(address));
  if (prefix < 31) {
    Ipv4Net net{Ipv4{address.value & Ipv4Net{address, prefix}.mask()}, prefix};
    AddrPtr broadcast = ipv4_addr(net.broadcast(), 32);
    check(rtnl_addr_set_broadcast(addr.get(), broadcast.get()), "broadcast of " + to_string(address));
  }
  int err = rtnl_addr_add(sock_, addr.get(), 0);
  if (err == -NLE_EXIST) return;
  check(err, "add address " + to_string(address) + "/" + std::to_string(prefix) + " to " + link);
}

std::vector<Ipv4Net> Netlink::addresses(const std::string& link) {
  int index = rtnl_link_get_ifindex(require_link(sock_, link).get());
  nl_cache* raw = nullptr;
  check(rtnl_addr_alloc_cache(sock_, &raw), "list addresses");
  CachePtr cache(raw);
  std::vector<Ipv4Net> out;
  for (nl_object* obj = nl_cache_get_first(cache.get()); obj; obj = nl_cache_get_next(obj)) {
    auto* addr = reinterpret_cast<rtnl_addr*>(obj);
    if (rtnl_addr_get_ifindex(addr) != index || rtnl_addr_get_family(addr) != AF_INET) continue;
    out.push_back({to_ipv4(rtnl_addr_get_local(addr)), rtnl_addr_get_prefixlen(addr)});
  }
  return out;
}

void Netlink::add_default_route(const std::string& link, Ipv4 gateway) {
  int index = rtnl_link_get_ifindex(require_link(sock_, link).get());
  RoutePtr route(rtnl_route_alloc());
  if (!route) throw Error("netlink: out of memory");
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_scope(route.get(), RT_SCOPE_UNIVERSE);
  rtnl_route_set_protocol(route.get(), RTPROT_BOOT);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  AddrPtr dst = ipv4_addr(Ipv4{0}, 0);
  check(rtnl_route_set_dst(route.get(), dst.get()), "default route");
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (!nh) throw Error("netlink: out of memory");
  AddrPtr gw = ipv4_addr(gateway, 32);
  rtnl_route_nh_set_ifindex(nh, index);
  rtnl_route_nh_set_gateway(nh, gw.get());
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns nh from here
  int err = rtnl_route_add(sock_, route.get(), NLM_F_EXCL);
  check(err, "add default route via " + to_string(gateway) + " dev " + link);
}

bool Netlink::has_default_route_via(Ipv4 gateway) {
  nl_cache* raw = nullptr;
  check(rtnl_route_alloc_cache(sock_, AF_INET, 0, &raw), "list routes");
  CachePtr cache(raw);
  for (nl_object* obj = nl_cache_get_first(cache.get()); obj; obj = nl_cache_get_next(obj)) {
    auto* route = reinterpret_cast<rtnl_route*>(obj);
    nl_addr* dst = rtnl_route_get_dst(route);
    if (rtnl_route_get_table(route) != RT_TABLE_MAIN || !dst || nl_addr_get_prefixlen(dst) != 0) continue;
    if (rtnl_route_get_nnexthops(route) < 1) continue;
    nl_addr* gw = rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(route, 0));
    if (gw && nl_addr_get_family(gw) == AF_INET && to_ipv4(gw) == gateway) return true;
  }
  return false;
}

}  // namespace podlet::network
