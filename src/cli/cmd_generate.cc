#include "cli/commands.h"

namespace podlet::cli {

void register_generate(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("generate", "write systemd unit files for a manifest");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("generate"); });
}

}  // namespace podlet::cli
