// The facts about this host the pure planner is given (it makes no syscalls
// itself): podlet's own path, node name and address, resolver files, capacity and
// the pod network's configuration.
#pragma once

#include "plan/paths.h"
#include "plan/planner.h"

namespace podlet::cli {

plan::PlanOptions host_plan_options(const plan::Paths& paths);

}  // namespace podlet::cli
