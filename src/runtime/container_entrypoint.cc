#include "runtime/container_entrypoint.h"

#include <unistd.h>

#include "plan/runtime_spec.h"
#include "runtime/container.h"
#include "runtime/notify.h"
#include "runtime/tty_relay.h"

namespace podlet::runtime {

namespace {

// One write: a line journald gets whole (systemd may kill the entrypoint mid-message).
void report(const std::string& message) {
  std::string line = "podlet: " + message + "\n";
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace

int run_container_entrypoint(const std::string& spec_path) {
  plan::ContainerSpec spec;
  try {
    spec = plan::load_container_spec(spec_path);
  } catch (const Error& e) {
    report(e.what());
    return kExitSetupFailed;
  }
  StartedContainer started;
  try {
    // systemd learns the workload's pid before it can exec (and exit): see launch_container.
    started = launch_container(spec, notify_main_pid);
    notify_ready(started.pid);
  } catch (const ContainerStartError& e) {
    report(e.what());
    return e.exit_code();
  } catch (const Error& e) {
    report("container " + spec.name + ": " + e.what());
    return kExitSetupFailed;
  }
  // tty: true: the entrypoint stays as the terminal's relay (tty_relay.h).
  if (started.terminal)
    return relay_container_terminal(std::move(started.terminal), std::move(started.pidfd));
  return 0;
}

}  // namespace podlet::runtime
