// podlet exec POD [-c CONTAINER] [-it] -- CMD...: runs CMD in a running container
// (pod_exec.h); exits with CMD's exit status.
#include <fmt/core.h>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/pod_exec.h"
#include "cli/pod_ref.h"
#include "cli/pod_state.h"
#include "runtime/self_exe.h"
#include "systemd/manager.h"

namespace podlet::cli {

void register_exec(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("exec", "run a command in a running container");
  static std::string pod, ns, container;
  static std::vector<std::string> command;
  static bool interactive = false, tty = false;
  cmd->add_option("pod", pod, "pod NAME or NAMESPACE/NAME")->required();
  cmd->add_option("-n,--namespace", ns, "namespace of a pod given by NAME")->default_str("default");
  cmd->add_option("-c,--container", container, "container (default: the first app container)");
  cmd->add_flag("-i,--stdin", interactive, "pass stdin to the command");
  cmd->add_flag("-t,--tty", tty,
                "give the command a terminal of the container's (a pty, relayed to podlet's own, "
                "which is raw meanwhile with -i)");
  cmd->add_option("command", command, "command and arguments (after --)")->required();
  cmd->callback([&global] {
    // The process exec forks into the container is podlet until it execs CMD; a CMD that
    // leads back to /proc/self/exe would run podlet's binary there, where the container
    // could reopen it for writing (CVE-2019-5736). Run from a read-only view of it.
    runtime::reexec_from_readonly_binary();
    auto ref = parse_pod_ref(pod, ns);
    auto plan = PodState(global.paths()).read(plan::pod_id(ref.ns, ref.name));
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
    ExecTarget target;
    {
      systemd::Manager units;
      auto st = units.status(c->unit.name);
      if (!st || !st->is_active() || st->main_pid == 0 || st->sub_state != "running")
        fail("pod {}: container {} is not running ({})", ref.key(), c->name,
             st ? st->active_state + "/" + st->sub_state : "its unit is not loaded");
      target.pid = static_cast<pid_t>(st->main_pid);
      target.control_group = st->control_group;
    }
    target.spec = c->spec;
    throw ExitRequest{exec_in_container(target, ExecOptions{command, interactive, tty})};
  });
}

}  // namespace podlet::cli
