#include "cli/commands.h"

namespace podlet::cli {

plan::Paths GlobalOptions::paths() const {
  plan::Paths p = plan::Paths::from_environment();
  if (!root.empty()) p.root = root;
  if (!runroot.empty()) p.runroot = runroot;
  return p;
}

}  // namespace podlet::cli
