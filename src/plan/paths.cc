#include "plan/paths.h"

#include <cstdlib>

namespace podlet::plan {

Paths Paths::from_environment() {
  Paths p;
  if (const char* r = std::getenv("PODLET_ROOT"); r && *r) p.root = r;
  if (const char* r = std::getenv("PODLET_RUNROOT"); r && *r) p.runroot = r;
  return p;
}

std::string pod_id(const std::string& ns, const std::string& name) { return ns + "_" + name; }

}  // namespace podlet::plan
