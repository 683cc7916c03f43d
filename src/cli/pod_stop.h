// Stopping a pod's units: the slice stop takes every unit of the pod down (the
// containers before the infra, since they are ordered After= it), then failed
// units are reset so nothing of the pod stays loaded. Used by `down`, by
// `play --replace` and by play's rollback.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plan/pod_plan.h"
#include "systemd/manager.h"

namespace podlet::cli {

struct StopOptions {
  // kubectl delete --grace-period: SIGKILL whatever still runs after this many
  // seconds; nullopt: the units' own TimeoutStopSec (terminationGracePeriodSeconds).
  std::optional<int64_t> grace_seconds;
  bool force = false;  // --force: SIGKILL at once
};

struct PodUnits {
  std::vector<std::string> names;         // slice first
  std::chrono::milliseconds stop_timeout;  // how long the slice's stop may take
};

// The units of a pod: from its plan, or (no plan on disk) from its name plus the
// container units systemd still has loaded.
PodUnits pod_units(systemd::UnitManager& units, const std::string& ns, const std::string& name,
                   const plan::PodPlan* plan);

// Stops the slice and resets every unit. Returns false when systemd had none of them loaded.
bool stop_units(systemd::UnitManager& units, const PodUnits& pod, const StopOptions& options);

}  // namespace podlet::cli
