#include "probe/check.h"

#include <thread>

#include <fmt/core.h>

namespace podlet::probe {

CheckResult run_check(const plan::HandlerSpec& handler, const CheckTarget& target,
                      std::chrono::milliseconds timeout) {
  if (handler.sleep_seconds) {
    // The kubelet's sleep action: done when the time is over, failed when the grace period ends first.
    auto wanted = std::chrono::seconds(*handler.sleep_seconds);
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(wanted, timeout));
    if (wanted > timeout) return {Result::failure, "container terminated before sleep hook finished"};
    return {Result::success, ""};
  }
  if (!handler.exec.empty()) {
    if (!target.exec) return {Result::failure, "the container is not running"};
    return exec_check(handler.exec, *target.exec, timeout);
  }
  if (!handler.http_get && !handler.tcp_socket && !handler.grpc)
    return {Result::failure, "Cannot run handler: invalid handler"};
  if (handler.port == 0 && !handler.port_name.empty())
    return {Result::failure, fmt::format("the container has no port named \"{}\"", handler.port_name)};
  std::string host = handler.host.empty() ? target.address : handler.host;
  if (host.empty()) return {Result::failure, "the pod has no IP address"};
  if (handler.http_get) return http_check(handler, host, timeout);
  if (handler.tcp_socket) return tcp_check(host, handler.port, timeout);
  return grpc_check(host, handler.port, handler.grpc_service, timeout);
}

}  // namespace podlet::probe
