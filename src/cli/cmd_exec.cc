// podlet exec POD [-c CONTAINER] [-it] -- CMD...: runs CMD in a running container
// (pod_exec.h, runtime/exec.h); exits with CMD's exit status.
#include <iostream>

#include <fmt/core.h>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/pod_exec.h"
#include "cli/pod_ref.h"
#include "runtime/self_exe.h"

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
    auto target = find_exec_target(global.paths(), ref, container);
    const std::string who = fmt::format("pod {}: container {}", ref.key(), target.spec.name);
    int status = 0;
    try {
      status = run_exec(target, runtime::ExecOptions{command, interactive, tty});
    } catch (const runtime::ExecError& e) {
      // 125: the container could not be entered; 126/127: CMD not executable / not found.
      std::cerr << "podlet: error: " << who << ": " << e.what() << "\n";
      throw ExitRequest{e.exit_code()};
    } catch (Error& e) {
      e.add_context(who);
      throw;
    }
    throw ExitRequest{status};
  });
}

}  // namespace podlet::cli
