// The facts about this host the pure planner is given (it makes no syscalls
// itself): podlet's own path, node name and address, resolver files, capacity and
// the pod network's configuration.
#pragma once

#include "plan/paths.h"
#include "plan/planner.h"

namespace podlet::cli {

plan::PlanOptions host_plan_options(const plan::Paths& paths);

// Container units exec podlet-runtime from podlet's directory: refuses to start or
// write units when it is missing there (else every container unit fails 203/EXEC).
void require_runtime_binary();

}  // namespace podlet::cli
