// exec: the command runs in the container as `podlet exec` runs it (its namespaces,
// root, cgroup, identity, capabilities and seccomp filter); success is exit status 0.
// Its stdout and stderr share one pipe, of which kMaxOutput bytes are kept; the
// intermediate process kills the command at the timeout.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/core.h>

#include "probe/check.h"

namespace podlet::probe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReadSlack = std::chrono::seconds(1);  // past the timeout: stop waiting for output

// Reads until end of file or the deadline; what is beyond kMaxOutput is read and dropped,
// so a chatty command never blocks on a full pipe.
std::string read_output(int fd, Clock::time_point deadline) {
  std::string out;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) break;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(std::min<ssize_t>(n, static_cast<ssize_t>(kMaxOutput - out.size()))));
  }
  return out;
}

std::string quoted_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace

CheckResult exec_check(const std::vector<std::string>& argv, const runtime::ExecTarget& target,
                       std::chrono::milliseconds timeout) {
  Pipe output = make_pipe();
  runtime::ExecOptions options;
  options.argv = argv;
  options.output_fd = output.write.get();
  options.timeout_seconds = static_cast<unsigned>((timeout.count() + 999) / 1000);
  auto started = Clock::now();
  runtime::RunningExec exec;
  try {
    exec = runtime::start_exec(target, options);
  } catch (const Error& e) {
    return {Result::failure, fmt::format("command \"{}\" could not run: {}", quoted_command(argv), e.what())};
  }
  output.write.reset();
  std::string text = read_output(output.read.get(), started + timeout + kReadSlack);
  int status = runtime::wait_exec(exec);
  if (status == 0) return {Result::success, text};
  if (Clock::now() - started >= timeout && status == 128 + SIGKILL)
    return {Result::failure, fmt::format("command \"{}\" timed out", quoted_command(argv))};
  return {Result::failure,
          fmt::format("command \"{}\" exited with {}: {}", quoted_command(argv), status, text)};
}

}  // namespace podlet::probe
