// PodPlan: everything `play` needs to run one pod, as pure data. The planner
// (planner.h) builds it from a validated pod and its images' configs; `play`
// writes its specs into the pod's state dir and starts its units; `generate
// systemd` renders the same units to files; `inspect` and `ps` read it back from
// the state dir. Printed by `play --dry-run -o json`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/probe_spec.h"
#include "plan/runtime_spec.h"
#include "plan/unit_spec.h"

namespace podlet::plan {

// One container of the pod (init or app) and how it is run.
struct ContainerPlan {
  std::string name;
  std::string image;      // the reference as written in the manifest (for messages)
  bool init = false;      // from spec.initContainers: runs before app containers
  bool sidecar = false;   // init container with restartPolicy Always: started in order, keeps running
  std::string spec_path;  // where ContainerSpec JSON is written; the unit's ExecStart reads it
  ContainerSpec spec;
  UnitSpec unit;
  std::vector<ProbePlan> probes;  // startup, liveness, readiness: those the container has
  std::vector<HookPlan> hooks;    // postStart, preStop: those the container has
};

struct PodPlan {
  std::string ns;
  std::string name;
  std::string uid;
  std::string pod_id;          // "<ns>_<name>", the state dir's name
  std::string state_dir;       // runtime state (pid file, /etc files, tmpfs volumes)
  std::string spec_dir;        // where the spec JSON files are written (state_dir for play)
  std::string restart_policy;  // Always | OnFailure | Never (the pod's)
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  bool needs_pod_ip = false;  // some env comes from status.podIP: plan again once it is known

  UnitSpec slice;
  std::string infra_spec_path;
  InfraSpec infra;
  UnitSpec infra_unit;
  // Init containers first, in manifest order, then app containers in manifest order.
  std::vector<ContainerPlan> containers;

  std::string qualified_name() const { return ns + "/" + name; }
  const ContainerPlan* find_container(const std::string& container_name) const;
  // Every unit of the pod: slice, infra, then containers in start order, each followed
  // by its probes' timers and services.
  std::vector<const UnitSpec*> units() const;
  std::vector<std::string> unit_names() const;
};

void to_json(nlohmann::json& j, const ContainerPlan& v);
void from_json(const nlohmann::json& j, ContainerPlan& v);
void to_json(nlohmann::json& j, const PodPlan& v);
void from_json(const nlohmann::json& j, PodPlan& v);

// The file name of the plan inside a pod's state dir.
inline constexpr const char* kPodPlanFile = "pod.json";

}  // namespace podlet::plan
