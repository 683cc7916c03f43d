#include "net_helpers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <exception>
#include <thread>

#include "base/error.h"
#include "network/netlink.h"
#include "network/netns_thread.h"

namespace podlet::network::testing {
namespace {

bool wait_for(int fd, short events, int timeout_ms = kTimeoutMs) {
  pollfd p{fd, events, 0};
  int r;
  do {
    r = ::poll(&p, 1, timeout_ms);
  } while (r < 0 && errno == EINTR);
  return r == 1 && (p.revents & events);
}

}  // namespace

TestNetns::TestNetns() {
  fd_ = UniqueFd(run_in_netns(-1, [] {
    if (::unshare(CLONE_NEWNET) < 0) throw system_error("unshare(CLONE_NEWNET)");
    return open_fd("/proc/thread-self/ns/net", O_RDONLY).release();
  }));
}

NetnsScope::NetnsScope(int netns_fd) : original_(open_fd("/proc/thread-self/ns/net", O_RDONLY)) {
  if (::setns(netns_fd, CLONE_NEWNET) < 0) throw system_error("setns");
}

NetnsScope::~NetnsScope() {
  ::setns(original_.get(), CLONE_NEWNET);
}

UniqueFd socket_in(int netns_fd, int type, int protocol) {
  return UniqueFd(run_in_netns(netns_fd, [&] {
    int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, protocol);
    if (fd < 0) throw system_error("socket");
    return fd;
  }));
}

sockaddr_in sockaddr_of(const std::string& ip, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(parse_ipv4(ip, "test address").value);
  return a;
}

std::string ip_of(const sockaddr_in& addr) {
  return to_string(Ipv4{ntohl(addr.sin_addr.s_addr)});
}

UniqueFd tcp_listen(int netns_fd, uint16_t port) {
  UniqueFd fd = socket_in(netns_fd, SOCK_STREAM);
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = sockaddr_of("0.0.0.0", port);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) throw system_error("bind");
  if (::listen(fd.get(), 64) < 0) throw system_error("listen");
  return fd;
}

std::optional<TcpResult> tcp_exchange(int client_netns, const std::string& ip, uint16_t port, int server_fd,
                                      const std::string& message) {
  UniqueFd client = socket_in(client_netns, SOCK_STREAM | SOCK_NONBLOCK);
  sockaddr_in to = sockaddr_of(ip, port);
  if (::connect(client.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) < 0 && errno != EINPROGRESS) {
    return std::nullopt;
  }
  if (!wait_for(client.get(), POLLOUT)) return std::nullopt;
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(client.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return std::nullopt;
  if (!wait_for(server_fd, POLLIN)) return std::nullopt;
  sockaddr_in peer{};
  socklen_t peer_len = sizeof peer;
  UniqueFd conn(::accept4(server_fd, reinterpret_cast<sockaddr*>(&peer), &peer_len, SOCK_CLOEXEC));
  if (!conn) return std::nullopt;
  if (::send(client.get(), message.data(), message.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(message.size())) {
    return std::nullopt;
  }
  std::string got(message.size(), '\0');
  size_t have = 0;
  while (have < got.size()) {
    if (!wait_for(conn.get(), POLLIN)) return std::nullopt;
    ssize_t n = ::recv(conn.get(), got.data() + have, got.size() - have, 0);
    if (n <= 0) return std::nullopt;
    have += static_cast<size_t>(n);
  }
  if (::send(conn.get(), got.data(), got.size(), MSG_NOSIGNAL) < 0) return std::nullopt;
  std::string back(got.size(), '\0');
  have = 0;
  while (have < back.size()) {
    if (!wait_for(client.get(), POLLIN)) return std::nullopt;
    ssize_t n = ::recv(client.get(), back.data() + have, back.size() - have, 0);
    if (n <= 0) return std::nullopt;
    have += static_cast<size_t>(n);
  }
  return TcpResult{ip_of(peer), back};
}

UniqueFd udp_bind(int netns_fd, uint16_t port) {
  UniqueFd fd = socket_in(netns_fd, SOCK_DGRAM);
  sockaddr_in a = sockaddr_of("0.0.0.0", port);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) throw system_error("bind udp");
  return fd;
}

std::optional<std::string> udp_exchange(int client_netns, const std::string& ip, uint16_t port, int server_fd,
                                        const std::string& message) {
  UniqueFd client = socket_in(client_netns, SOCK_DGRAM);
  sockaddr_in to = sockaddr_of(ip, port);
  if (::sendto(client.get(), message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) <
      0) {
    return std::nullopt;
  }
  if (!wait_for(server_fd, POLLIN)) return std::nullopt;
  char buf[512];
  sockaddr_in from{};
  socklen_t from_len = sizeof from;
  ssize_t n = ::recvfrom(server_fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
  if (n < 0) return std::nullopt;
  std::string reply = "re:" + std::string(buf, static_cast<size_t>(n));
  ::sendto(server_fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), from_len);
  if (!wait_for(client.get(), POLLIN)) return std::nullopt;
  n = ::recv(client.get(), buf, sizeof buf, 0);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

namespace {
uint16_t checksum(const void* data, size_t len) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < len; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  if (len & 1) sum += static_cast<uint32_t>(p[len - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons(static_cast<uint16_t>(~sum));
}
}  // namespace

bool ping(int netns_fd, const std::string& ip) {
  UniqueFd fd = socket_in(netns_fd, SOCK_RAW, IPPROTO_ICMP);
  static uint16_t sequence = 0;
  icmphdr request{};
  request.type = ICMP_ECHO;
  request.un.echo.id = htons(static_cast<uint16_t>(::getpid()));
  request.un.echo.sequence = htons(++sequence);
  request.checksum = checksum(&request, sizeof request);
  sockaddr_in to = sockaddr_of(ip, 0);
  if (::sendto(fd.get(), &request, sizeof request, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
    return false;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!wait_for(fd.get(), POLLIN, 200)) continue;
    char buf[1500];
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    ssize_t n = ::recvfrom(fd.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < static_cast<ssize_t>(sizeof(iphdr) + sizeof(icmphdr))) continue;
    const auto* iph = reinterpret_cast<const iphdr*>(buf);
    const auto* reply = reinterpret_cast<const icmphdr*>(buf + iph->ihl * 4);
    if (reply->type == ICMP_ECHOREPLY && reply->un.echo.id == request.un.echo.id &&
        reply->un.echo.sequence == request.un.echo.sequence && ip_of(from) == ip) {
      return true;
    }
  }
  return false;
}

void link_namespaces(int a_netns, const std::string& a_name, const std::string& a_ip, int b_netns,
                     const std::string& b_name, const std::string& b_ip, int prefix) {
  Netlink a = Netlink::in_netns(a_netns);
  a.create_veth(a_name, b_name, b_netns, 0);
  a.set_up("lo");
  a.add_address(a_name, parse_ipv4(a_ip, "a"), prefix);
  a.set_up(a_name);
  Netlink b = Netlink::in_netns(b_netns);
  b.set_up("lo");
  b.add_address(b_name, parse_ipv4(b_ip, "b"), prefix);
  b.set_up(b_name);
}

}  // namespace podlet::network::testing
