#include "cli/pod_down.h"

#include "plan/paths.h"

namespace podlet::cli {

bool down_pod(systemd::UnitManager& units, const PodState& state, const std::string& ns, const std::string& name,
              const StopOptions& options) {
  const std::string id = plan::pod_id(ns, name);
  auto plan = state.read(id);
  bool stopped = stop_units(units, pod_units(units, ns, name, plan ? &*plan : nullptr), options);
  if (plan) {
    state.remove(*plan);
  } else {
    state.remove(id);
  }
  return stopped || plan.has_value();
}

}  // namespace podlet::cli
