// One run of a probe's or hook's check, as the kubelet's prober runs it: exec inside
// the container (runtime/exec.h, as `podlet exec`), httpGet, tcpSocket and grpc from
// outside the pod to its address. Every check ends within its timeout; what the container or
// server sends back is untrusted and read up to kMaxOutput bytes.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "plan/probe_spec.h"
#include "runtime/exec.h"

namespace podlet::probe {

inline constexpr size_t kMaxOutput = 10 * 1024;  // the kubelet keeps 10 KiB of output and body

enum class Result { success, failure };

struct CheckResult {
  Result result = Result::failure;
  std::string message;  // why it failed (or a warning with success), for the journal
};

struct CheckTarget {
  std::string address;                      // httpGet/tcpSocket without host: the pod's IP
  std::optional<runtime::ExecTarget> exec;  // exec: the container's workload
};

// Never throws for what the target does: a refused connection, a timeout, a command
// that cannot run in the container are failures with their reason.
CheckResult run_check(const plan::HandlerSpec& handler, const CheckTarget& target,
                      std::chrono::milliseconds timeout);

// The handlers, for run_check and their tests.
CheckResult http_check(const plan::HandlerSpec& handler, const std::string& host,
                       std::chrono::milliseconds timeout);
CheckResult tcp_check(const std::string& host, int port, std::chrono::milliseconds timeout);
CheckResult grpc_check(const std::string& host, int port, const std::string& service,
                       std::chrono::milliseconds timeout);
CheckResult exec_check(const std::vector<std::string>& argv, const runtime::ExecTarget& target,
                       std::chrono::milliseconds timeout);

}  // namespace podlet::probe
