// Test-only helpers: network namespaces the test creates (and that vanish with
// their last fd), sockets opened inside them, and TCP/UDP/ICMP exchanges with
// timeouts. Nothing here touches the namespace the test process started in
// except through NetnsScope, which returns to it on destruction.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <optional>
#include <string>

#include "base/fd.h"
#include "network/ipv4.h"

namespace podlet::network::testing {

// A fresh network namespace, held by an fd.
class TestNetns {
 public:
  TestNetns();
  int fd() const { return fd_.get(); }

 private:
  UniqueFd fd_;
};

// Moves the calling thread into a namespace; moves it back on destruction.
class NetnsScope {
 public:
  explicit NetnsScope(int netns_fd);
  NetnsScope(const NetnsScope&) = delete;
  NetnsScope& operator=(const NetnsScope&) = delete;
  ~NetnsScope();

 private:
  UniqueFd original_;
};

// socket(2) created inside `netns_fd` (it stays there whatever thread uses it).
UniqueFd socket_in(int netns_fd, int type, int protocol = 0);

sockaddr_in sockaddr_of(const std::string& ip, uint16_t port);
std::string ip_of(const sockaddr_in& addr);

UniqueFd tcp_listen(int netns_fd, uint16_t port);
// Connects from `netns_fd` to ip:port, sends `message`, accepts on `server`,
// echoes it back. Returns the peer address the server saw, or nullopt when the
// connection did not work within the timeout.
struct TcpResult {
  std::string server_saw_peer;
  std::string echoed;
};
std::optional<TcpResult> tcp_exchange(int client_netns, const std::string& ip, uint16_t port, int server_fd,
                                      const std::string& message = "hello");

UniqueFd udp_bind(int netns_fd, uint16_t port);
// Sends a datagram from `client_netns` to ip:port, answers it on `server`, and
// returns the answer the client got (nullopt on timeout).
std::optional<std::string> udp_exchange(int client_netns, const std::string& ip, uint16_t port, int server_fd,
                                        const std::string& message = "ping");

// One ICMP echo from `netns_fd` to ip; true when the reply came.
bool ping(int netns_fd, const std::string& ip);

// A loopback up and a veth between two test namespaces, with addresses.
void link_namespaces(int a_netns, const std::string& a_name, const std::string& a_ip, int b_netns,
                     const std::string& b_name, const std::string& b_ip, int prefix);

constexpr int kTimeoutMs = 5000;

}  // namespace podlet::network::testing
