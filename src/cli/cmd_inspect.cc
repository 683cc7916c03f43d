#include "cli/commands.h"

namespace podlet::cli {

void register_inspect(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("inspect", "show a pod's plan, units and live state as JSON");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("inspect"); });
}

}  // namespace podlet::cli
