// Starting a planned pod under systemd, in order: the slice, the infra (READY once
// its namespaces and network exist), init containers one by one (each must exit 0),
// sidecars, then app containers (READY once their workload exec'd). A failure names
// the container, systemd's result and the last lines it logged; undoing what was
// started is the caller's Rollback (see play).
#pragma once

#include <functional>
#include <string>

#include "plan/pod_plan.h"
#include "systemd/manager.h"

namespace podlet::cli {

struct StartHooks {
  // The last lines a container (or "infra") logged, for error messages.
  std::function<std::string(const plan::PodPlan&, const std::string& container)> log_tail;
  // Called once the infra is up when the plan needs the pod IP (status.podIP env):
  // plans again with the address and rewrites the container specs.
  std::function<void(plan::PodPlan&)> complete_with_pod_ip;
};

void start_pod(systemd::UnitManager& units, plan::PodPlan& plan, const StartHooks& hooks);

}  // namespace podlet::cli
