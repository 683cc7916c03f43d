// tcpSocket: success when a TCP connection opens within the timeout, then closed at once.
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

#include "base/fd.h"
#include "probe/check.h"

namespace podlet::probe {

namespace {

struct AddrInfo {
  addrinfo* list = nullptr;
  ~AddrInfo() {
    if (list) ::freeaddrinfo(list);
  }
};

}  // namespace

CheckResult tcp_check(const std::string& host, int port, std::chrono::milliseconds timeout) {
  const std::string where = fmt::format("{}:{}", host, port);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  AddrInfo ai;
  if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &ai.list); rc != 0)
    return {Result::failure, fmt::format("dial tcp {}: {}", where, ::gai_strerror(rc))};
  UniqueFd s(::socket(ai.list->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!s) return {Result::failure, fmt::format("dial tcp {}: socket: {}", where, std::strerror(errno))};
  if (::connect(s.get(), ai.list->ai_addr, ai.list->ai_addrlen) == 0) return {Result::success, ""};
  if (errno != EINPROGRESS)
    return {Result::failure, fmt::format("dial tcp {}: connect: {}", where, std::strerror(errno))};
  pollfd p{s.get(), POLLOUT, 0};
  int rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (rc == 0) return {Result::failure, fmt::format("dial tcp {}: i/o timeout", where)};
  int err = 0;
  socklen_t len = sizeof err;
  if (rc < 0 || ::getsockopt(s.get(), SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  if (err != 0) return {Result::failure, fmt::format("dial tcp {}: connect: {}", where, std::strerror(err))};
  return {Result::success, ""};
}

}  // namespace podlet::probe
