#include "cli/commands.h"

namespace podlet::cli {

// Entry points that systemd units run (infra, container, cleanup). Hidden from help.
void register_internal(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("internal", "");
  cmd->group("");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("internal"); });
}

}  // namespace podlet::cli
