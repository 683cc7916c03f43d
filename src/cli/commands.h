// Each subcommand lives in its own cmd_*.cc and registers itself on the app.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "plan/paths.h"

namespace podlet::cli {

// Exit codes (documented in the README).
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,           // the command failed (invalid manifest, failed start, ...)
  kExitUsage = 2,           // bad command line
  kExitWaitTimeout = 124,   // play --wait: the pods were not ready within --timeout (as timeout(1))
  kExitPodletFailed = 125,  // play --wait: podlet failed before the pod ran
};

struct GlobalOptions {
  std::string log_level = "warn";
  std::string output = "table";  // table | json | yaml
  std::string root;              // --root, overrides PODLET_ROOT
  std::string runroot;           // --runroot, overrides PODLET_RUNROOT
  plan::Paths paths() const;
};

// Thrown by a subcommand callback to leave with a specific exit code.
struct ExitRequest {
  int code;
};

void register_validate(CLI::App& app, GlobalOptions& global);
void register_play(CLI::App& app, GlobalOptions& global);
void register_down(CLI::App& app, GlobalOptions& global);
void register_ps(CLI::App& app, GlobalOptions& global);
void register_logs(CLI::App& app, GlobalOptions& global);
void register_exec(CLI::App& app, GlobalOptions& global);
void register_inspect(CLI::App& app, GlobalOptions& global);
void register_generate(CLI::App& app, GlobalOptions& global);
void register_image(CLI::App& app, GlobalOptions& global);
void register_internal(CLI::App& app, GlobalOptions& global);

}  // namespace podlet::cli
