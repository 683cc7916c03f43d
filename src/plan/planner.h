// The pure planner: a validated, defaulted pod (manifest layer) plus its images'
// configs become a PodPlan. Same input, same plan; no syscalls, no clock, no
// randomness, so `play --dry-run -o json` is golden-file tested.
//
// Kubernetes semantics it implements (kubelet + CRI runtime behaviour):
// - command/args merged with the image's Entrypoint/Cmd; $(VAR) expanded in
//   command, args, env values and subPathExpr with the container's manifest env.
// - env = image env, overridden by envFrom then env (valueFrom resolved).
//   status.podIP is only known once the infra has attached the pod's network:
//   plan_pod leaves it empty unless PlanOptions::pod_ip is set, and marks the plan
//   (PodPlan::needs_pod_ip); `play` plans again with the address before writing
//   container specs. Generated unit files cannot know it (documented there).
// - securityContext (container over pod): uid/gid/groups, runAsNonRoot, Podman's
//   11 default capabilities with add/drop/ALL, privileged, allowPrivilegeEscalation,
//   readOnlyRootFilesystem, seccompProfile (RuntimeDefault when unset, as Podman),
//   procMount, Podman's masked and read-only paths.
// - volumes and volumeMounts (subPath, subPathExpr, readOnly, mountPropagation).
// - units: see planner_units.cc for restartPolicy, limits, grace period, ordering.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "manifest/model.h"
#include "plan/paths.h"
#include "plan/pod_plan.h"
#include "plan/runtime_spec.h"

namespace podlet::plan {

// What the planner needs of an image; the CLI fills it from image::Image so the
// plan layer does not depend on the image layer.
struct ImageData {
  std::string id;
  std::vector<std::string> layer_dirs;  // top-most first
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // "KEY=value"
  std::string working_dir;
  std::string user;  // "uid", "uid:gid", "name", "name:group"
};

struct PlanOptions {
  Paths paths;
  std::string podlet_binary = "/usr/bin/podlet";  // absolute: it becomes ExecStart=
  std::string spec_dir;                           // where specs go; empty: the pod's state dir
  NetworkSpec network;                            // bridge, subnet, gateway of the host's pod network
  std::string node_name;                          // spec.nodeName for fieldRef (the host name)
  std::string host_ip;                            // status.hostIP for fieldRef
  std::string pod_ip;                             // status.podIP once known (see above)
  std::string host_resolv_conf;        // the host's /etc/resolv.conf (see pod_dns.h)
  std::string host_resolved_upstream;  // /run/systemd/resolve/resolv.conf; "": no systemd-resolved
  int64_t node_cpu_millis = 0;    // resourceFieldRef limits.cpu when the container has no limit
  int64_t node_memory_bytes = 0;  // resourceFieldRef limits.memory when the container has no limit
  uint64_t pids_limit = 2048;     // TasksMax per container (Podman's default pids_limit)
};

// Images are keyed by the container's `image` field as written in the manifest.
// Throws podlet::Error in "file:line:col: path: message" form for what cannot be
// run (an unknown capability, a runAsNonRoot container running as uid 0, an image
// volume, a missing ConfigMap key, ...).
PodPlan plan_pod(const manifest::Pod& pod, const manifest::Manifest& objects,
                 const std::map<std::string, ImageData>& images, const PlanOptions& options);

}  // namespace podlet::plan
