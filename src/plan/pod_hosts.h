// A pod's /etc/hosts, rendered in one place for the infra (which writes it first)
// and the network layer (which rewrites it as the pods on a network come and go).
// The kubelet's managed file (pkg/kubelet/kubelet_pods.go): localhost lines, the
// pod's own address and names, its hostAliases; podlet adds the other pods on the
// same network, so pods reach each other by name without a DNS daemon. A
// hostNetwork pod gets the host's own file plus its hostAliases instead.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "plan/runtime_spec.h"

namespace podlet::plan {

struct HostsEntry {
  std::string ip;
  std::vector<std::string> names;
};
using HostAliases = std::vector<std::pair<std::string, std::vector<std::string>>>;  // ip -> names

// A pod on the pod network; self.ip may be empty (the address is not known yet).
std::string render_pod_hosts(const HostsEntry& self, const HostAliases& aliases,
                             const std::vector<HostsEntry>& peers = {});
// A hostNetwork pod: the host's own hosts file plus the hostAliases.
std::string render_host_network_hosts(const std::string& host_hosts, const HostAliases& aliases);

// The names of the pod's own entry, the ones other pods resolve it by: its
// hostname, its name and "name.namespace" (spec.pod is "namespace/name").
std::vector<std::string> pod_host_names(const InfraSpec& spec);

}  // namespace podlet::plan
