#include "cli/commands.h"

namespace podlet::cli {

void register_image(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("image", "manage images (ls, inspect, rm, prune, pull, load, import)");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("image"); });
}

}  // namespace podlet::cli
