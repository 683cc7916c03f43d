// Internals of the planner, split by concern (one file each): env, process,
// security, volumes, units. Not for use outside src/plan/planner*.cc.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "manifest/model.h"
#include "plan/planner.h"
#include "plan/unit_names.h"

namespace podlet::plan::detail {

// Everything about the pod the per-container steps need.
struct PodContext {
  const manifest::Pod& pod;
  const manifest::Manifest& objects;
  const PlanOptions& options;
  std::string pod_id;
  std::string state_dir;  // runtime state (tmpfs /run): pid file, /etc files, memory volumes
  std::string data_dir;   // persistent per-pod data: container upper dirs, disk emptyDirs
  std::string spec_dir;
  PodUnitNames units;

  const std::string& ns() const { return pod.metadata.namespace_; }
  const std::string& name() const { return pod.metadata.name; }
  std::string qualified_name() const { return pod.key(); }
  // Full document path of a pod spec field ("spec.containers[0].env").
  std::string spec_path(const std::string& rel) const;
  // Throws podlet::Error as "file:line:col: <path>: <message>".
  [[noreturn]] void fail(const std::string& path, const std::string& message) const;
};

// One container being planned.
struct ContainerContext {
  const manifest::Container& c;
  std::string path;  // "spec.initContainers[0]" / "spec.containers[1]" (full document path)
  bool init = false;
  const ImageData& image;
};

// ---- env (planner_env.cc)
using EnvList = std::vector<std::pair<std::string, std::string>>;

struct ManifestEnv {
  EnvList vars;              // envFrom then env, resolved and $(VAR)-expanded, last definition wins
  bool uses_pod_ip = false;  // a fieldRef to status.podIP(s)
};
ManifestEnv manifest_env(const PodContext& pod, const ContainerContext& c);
// Image env overridden by the manifest env (replaced in place, new ones appended),
// plus PATH (Podman's default) when neither sets it and TERM=xterm for a tty.
std::vector<std::string> merge_env(const std::vector<std::string>& image_env, const EnvList& manifest,
                                   bool tty);
std::optional<std::string> lookup(const EnvList& env, std::string_view name);
// A downward API field (fieldRef) value; nullopt for status.podIP when unknown.
std::string field_ref_value(const PodContext& pod, const manifest::ObjectFieldSelector& ref,
                            const std::string& path, bool* uses_pod_ip);
std::string resource_field_value(const PodContext& pod, const manifest::Container& c,
                                 const manifest::ResourceFieldSelector& ref, const std::string& path);

// ---- process (planner_process.cc)
std::vector<std::string> merge_args(const manifest::Container& c, const ImageData& image, const EnvList& env);
void plan_process(const PodContext& pod, const ContainerContext& c, const ManifestEnv& env, ProcessSpec& out);

// ---- security (planner_security.cc)
const manifest::SecurityContext* container_security(const manifest::Container& c);
// Podman's default capability set after securityContext add/drop ("ALL" honoured).
std::vector<std::string> plan_capabilities(const PodContext& pod, const ContainerContext& c);
void plan_security(const PodContext& pod, const ContainerContext& c, ContainerSpec& out);
extern const std::vector<std::string> kDefaultCapabilities;
extern const std::vector<std::string> kMaskedPaths;
extern const std::vector<std::string> kReadonlyPaths;

// ---- volumes (planner_volumes.cc)
std::vector<VolumeSpec> plan_volumes(const PodContext& pod);
std::vector<MountSpec> plan_mounts(const PodContext& pod, const ContainerContext& c,
                                   const std::vector<VolumeSpec>& volumes, const EnvList& env);

// ---- units (planner_units.cc)
UnitSpec slice_unit(const PodContext& pod);
UnitSpec infra_unit(const PodContext& pod, const std::string& infra_spec_path);
// `previous`: the unit that must finish (init) or be up (sidecar) before this one.
UnitSpec container_unit(const PodContext& pod, const ContainerContext& c, const std::string& spec_path,
                        const std::vector<std::string>& after);
// The start wiring of unit files (UnitSpec::file_*): the infra pulls in every container,
// each container after a run-to-completion init container requires the last one.
void wire_unit_files(PodPlan& plan);
// ---- probes (planner_probes.cc)
// The container's startup, liveness and readiness probes, each with its timer and service.
std::vector<ProbePlan> plan_probes(const PodContext& pod, const InfraSpec& infra, const ContainerPlan& plan,
                                   const ContainerContext& c);
// The container's lifecycle hooks; adds their commands to plan.unit.
std::vector<HookPlan> plan_hooks(const PodContext& pod, const InfraSpec& infra, ContainerPlan& plan,
                                 const ContainerContext& c);

// Pod-level limits on the slice: Kubernetes' effective pod resources, only when
// every container has the limit.
void apply_slice_limits(const PodContext& pod, UnitSpec& slice);

}  // namespace podlet::plan::detail
