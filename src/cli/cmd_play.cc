#include "cli/commands.h"

namespace podlet::cli {

void register_play(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("play", "run the pods of a manifest under systemd");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("play"); });
}

}  // namespace podlet::cli
