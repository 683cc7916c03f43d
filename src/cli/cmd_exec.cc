// podlet exec POD [-c CONTAINER] [-it] -- CMD...
#include <fmt/core.h>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/pod_ref.h"
#include "cli/pod_state.h"

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
  cmd->add_flag("-t,--tty", tty, "allocate a terminal");
  cmd->add_option("command", command, "command and arguments (after --)")->required();
  cmd->callback([&global] {
    auto ref = parse_pod_ref(pod, ns);
    auto plan = PodState(global.paths()).read(plan::pod_id(ref.ns, ref.name));
    if (!plan) fail("pod {} not found", ref.key());
    if (!container.empty() && !plan->find_container(container))
      fail("pod {} has no container {}", ref.key(), container);
    // Entering a container needs the runtime to join its mount namespace, root, user,
    // capabilities and seccomp filter; the runtime has no such entry point yet.
    not_implemented("exec (the runtime cannot enter a running container yet)");
  });
}

}  // namespace podlet::cli
