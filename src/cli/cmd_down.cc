#include "cli/commands.h"

namespace podlet::cli {

void register_down(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("down", "stop and remove pods");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("down"); });
}

}  // namespace podlet::cli
