#include "cli/pod_exec.h"

#include <unistd.h>

#include <optional>

#include "base/error.h"
#include "cli/pod_state.h"
#include "runtime/tty_session.h"
#include "systemd/manager.h"

namespace podlet::cli {

runtime::ExecTarget find_exec_target(const plan::Paths& paths, const PodRef& ref,
                                     const std::string& container) {
  auto plan = PodState(paths).read(plan::pod_id(ref.ns, ref.name));
  if (!plan) fail("pod {} not found", ref.key());
  const plan::ContainerPlan* c = nullptr;
  if (container.empty()) {
    for (const auto& candidate : plan->containers)
      if (!candidate.init) {
        c = &candidate;
        break;
      }
  } else {
    c = plan->find_container(container);
  }
  if (!c) fail("pod {} has no container {}", ref.key(), container);
  runtime::ExecTarget target;
  systemd::Manager units;
  auto st = units.status(c->unit.name);
  if (!st || !st->is_active() || st->main_pid == 0 || st->sub_state != "running")
    fail("pod {}: container {} is not running ({})", ref.key(), c->name,
         st ? st->active_state + "/" + st->sub_state : "its unit is not loaded");
  target.pid = static_cast<pid_t>(st->main_pid);
  target.control_group = st->control_group;
  target.spec = c->spec;
  return target;
}

int run_exec(const runtime::ExecTarget& target, const runtime::ExecOptions& options) {
  if (!options.tty) {
    auto exec = runtime::start_exec(target, options);
    return runtime::wait_exec(exec);
  }
  // Blocked before the fork: none is lost, none kills a raw podlet (they arrive on the
  // session's signalfd).
  runtime::SessionSignals signals;
  auto exec = runtime::start_exec(target, options);
  {
    // Raw only while relaying, restored on every way out; an exception kills the
    // command's intermediate process (ChildProcess).
    std::optional<runtime::RawTerminal> raw;
    if (options.stdin_open) raw.emplace(STDIN_FILENO);
    runtime::run_terminal_session(exec.terminal.get(), exec.process.pidfd(), options.stdin_open, signals);
  }
  return runtime::wait_exec(exec);
}

}  // namespace podlet::cli
