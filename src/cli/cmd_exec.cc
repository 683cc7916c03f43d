#include "cli/commands.h"

namespace podlet::cli {

void register_exec(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("exec", "run a command in a running container");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("exec"); });
}

}  // namespace podlet::cli
