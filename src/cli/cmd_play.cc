// podlet play FILE|- [--dry-run] [-o json] [--replace] [--wait [--timeout SECONDS]]
#include <iostream>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/pod_play.h"

namespace podlet::cli {

void register_play(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("play", "run the pods of a manifest under systemd");
  static std::string file;
  static PlayOptions options;
  cmd->add_option("file", file, "manifest file, or - for stdin")->required();
  cmd->add_flag("--dry-run", options.dry_run, "validate and plan only; print the plan (-o json: as JSON)");
  cmd->add_flag("--replace", options.replace, "tear down pods of the same name first");
  cmd->add_flag("--wait", options.wait,
                "wait until the pods are ready; pods with restartPolicy Never/OnFailure: until they exited, "
                "then remove them and exit with their status");
  cmd->add_option("--timeout", options.wait_timeout_seconds,
                  "with --wait on pods that keep running: seconds to wait for readiness (default 300; exit "
                  "status 124 when they are not ready by then)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("-o,--output", global.output, "table|json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&global] {
    options.output = global.output;
    if (!options.wait) throw ExitRequest{play(file, options, global.paths(), std::cout, std::cerr)};
    // With --wait the exit status is the pod's: podlet's own failures are 125.
    try {
      throw ExitRequest{play(file, options, global.paths(), std::cout, std::cerr)};
    } catch (const Error& e) {
      std::cerr << "podlet: error: " << e.what() << "\n";
      throw ExitRequest{kExitPodletFailed};
    }
  });
}

}  // namespace podlet::cli
