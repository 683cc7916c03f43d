#include "cli/commands.h"

namespace podlet::cli {

void register_logs(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("logs", "show a container's output from the journal");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("logs"); });
}

}  // namespace podlet::cli
