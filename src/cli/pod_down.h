// Taking a pod away completely: its units (pod_stop.h) and its state (pod_state.h).
// Used by `down`, `play --replace`, `play --wait` and play's rollback. Idempotent.
#pragma once

#include <string>

#include "cli/pod_state.h"
#include "cli/pod_stop.h"
#include "systemd/manager.h"

namespace podlet::cli {

// Returns false when nothing of the pod existed (no units loaded, no state).
// The caller holds the pod's lock.
bool down_pod(systemd::UnitManager& units, const PodState& state, const std::string& ns, const std::string& name,
              const StopOptions& options);

}  // namespace podlet::cli
