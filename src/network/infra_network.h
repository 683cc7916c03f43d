// The network steps of a pod's infra (`podlet internal infra` / `infra-cleanup`),
// in terms of the InfraSpec the planner wrote, so the entrypoint's hooks are one
// call each:
//   attach_infra_network   once the pod's network namespace exists (before READY=1)
//   publish_infra_hosts    once the pod's /etc/hosts file is written: registers the
//                          pod's names and rewrites the hosts files of all pods on
//                          the network (its own included) in place; for a hostNetwork
//                          pod, its file becomes the host's /etc/hosts plus hostAliases
//   detach_infra_network   from the stop path (ExecStopPost), idempotent
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "plan/paths.h"
#include "plan/runtime_spec.h"

namespace podlet::network {

// Returns the pod IP; "" for a hostNetwork pod. Throws with everything undone.
// Called from the host's network namespace, or from inside the pod's (an infra
// that unshared in place): then the parent's (systemd's) namespace is the host side.
std::string attach_infra_network(const plan::InfraSpec& spec, const plan::Paths& paths, pid_t infra_pid,
                                 int netns_fd);

void publish_infra_hosts(const plan::InfraSpec& spec, const plan::Paths& paths, const std::string& pod_ip,
                         pid_t infra_pid);

// Withdraws the pod's names and releases its address, veth and hostPorts.
void detach_infra_network(const plan::InfraSpec& spec, const plan::Paths& paths);

}  // namespace podlet::network
