#include "cli/commands.h"

namespace podlet::cli {

void register_validate(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("validate", "validate Kubernetes manifests");
  cmd->allow_extras();
  cmd->callback([] { not_implemented("validate"); });
}

}  // namespace podlet::cli
