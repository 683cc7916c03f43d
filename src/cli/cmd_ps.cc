#include "cli/commands.h"

namespace podlet::cli {

void register_ps(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("ps", "list pods and their containers");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("ps"); });
}

}  // namespace podlet::cli
