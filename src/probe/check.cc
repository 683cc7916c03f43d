#include "probe/check.h"

#include <fmt/core.h>

namespace podlet::probe {

CheckResult run_check(const plan::HandlerSpec& handler, const CheckTarget& target,
                      std::chrono::milliseconds timeout) {
  if (!handler.exec.empty()) {
    if (!target.exec) return {Result::failure, "the container is not running"};
    return exec_check(handler.exec, *target.exec, timeout);
  }
  if (handler.port == 0 && !handler.port_name.empty())
    return {Result::failure, fmt::format("the container has no port named \"{}\"", handler.port_name)};
  std::string host = handler.host.empty() ? target.address : handler.host;
  if (host.empty()) return {Result::failure, "the pod has no IP address"};
  if (handler.http_get) return http_check(handler, host, timeout);
  if (handler.tcp_socket) return tcp_check(host, handler.port, timeout);
  if (handler.grpc) return grpc_check(host, handler.port, handler.grpc_service, timeout);
  return {Result::failure, "the probe has no handler"};
}

}  // namespace podlet::probe
