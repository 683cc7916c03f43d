// A pod's live status, read from systemd (no daemon keeps it): each container's
// state from its unit (ActiveState/SubState, exit status, NRestarts) and its probes'
// results (probe/probe_state.h: readiness, startup, restarts a probe made), the pod's
// phase as Kubernetes defines it, and the pod IP from IPAM. Rendered as a
// Kubernetes Pod object (status.phase, podIP, containerStatuses[...]) so tools that
// read `kubectl get pod -o json` read podlet too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/pod_plan.h"
#include "systemd/manager.h"

namespace podlet::cli {

struct ContainerState {
  std::string name;
  std::string unit;
  bool init = false;
  bool sidecar = false;
  std::string state = "waiting";  // waiting | running | terminated
  std::string reason;             // ContainerCreating, CrashLoopBackOff, Completed, Error, ...
  bool ready = false;             // running, started, and its readiness probe (if any) succeeded
  bool started = false;           // running, and its startup probe (if any) succeeded
  uint32_t restart_count = 0;
  // lastState.terminated of a run a liveness or startup probe killed (reason "" : none).
  std::string last_reason;
  std::string last_message;
  int last_exit_code = 0;
  uint64_t last_started_usec = 0;
  uint64_t last_finished_usec = 0;
  int exit_code = 0;          // terminated: exit status, or 128 + signal
  uint64_t started_usec = 0;  // CLOCK_REALTIME
  uint64_t finished_usec = 0;
  std::string active_state;  // systemd's, for `inspect`
  std::string sub_state;
};

struct PodStatus {
  std::string phase;  // Pending | Running | Succeeded | Failed | Unknown
  std::string pod_ip;
  uint64_t start_usec = 0;
  std::string infra_state;                 // the infra unit's ActiveState ("" when not loaded)
  std::vector<ContainerState> containers;  // plan order: init containers first

  int ready_count() const;
  int app_count() const;
  uint32_t restarts() const;
  // Every app container has terminated and will not be restarted.
  bool finished() const;
  // The first non-zero exit status of the app containers, else 0.
  int exit_code() const;
};

PodStatus pod_status(const plan::PodPlan& plan, systemd::UnitManager& units, const std::string& pod_ip);

// "2026-11-29T06:39:00Z"
std::string rfc3339(uint64_t realtime_usec);
nlohmann::json kubernetes_pod(const plan::PodPlan& plan, const PodStatus& status);

}  // namespace podlet::cli
