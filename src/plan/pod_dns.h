// A pod's /etc/resolv.conf, computed once by the planner from the pod's dnsPolicy
// and dnsConfig and the host's resolver files the CLI read (PlanOptions); the
// runtime only writes the result. Follows the kubelet (pkg/kubelet/network/dns):
// - None: dnsConfig alone. Default, ClusterFirst, ClusterFirstWithHostNet: the
//   host's resolver (there is no cluster DNS on one host, so the kubelet's fallback
//   from ClusterFirst to Default applies and no cluster search list or ndots:5 is
//   added), then dnsConfig appended: nameservers and searches without duplicates,
//   an option replacing the one of the same name.
// - limits: 3 nameservers (glibc's MAXNS), 32 search domains, no search domain
//   longer than 253 characters, a search line of at most 2048 characters.
// - a pod on the bridge network cannot reach a loopback resolver of the host (such
//   as systemd-resolved's 127.0.0.53) from its network namespace: loopback
//   nameservers are dropped and, when there were any, systemd-resolved's upstream
//   servers are used. hostNetwork pods keep the host's resolver as it is.
#pragma once

#include <string>
#include <vector>

#include "manifest/model.h"

namespace podlet::plan {

struct DnsSettings {
  std::vector<std::string> nameservers;
  std::vector<std::string> searches;
  std::vector<std::string> options;  // "ndots:5", "edns0"
};

// resolv.conf(5): nameservers accumulate, the last search/domain line and the last
// options line win (as the kubelet reads it), '#' and ';' start comments.
DnsSettings parse_resolv_conf(const std::string& text);
std::string render_resolv_conf(const DnsSettings& dns);

// host_resolv_conf: the host's /etc/resolv.conf; resolved_upstream: systemd-resolved's
// /run/systemd/resolve/resolv.conf ("" without systemd-resolved).
std::string pod_resolv_conf(const manifest::PodSpec& spec, const std::string& host_resolv_conf,
                            const std::string& resolved_upstream);

}  // namespace podlet::plan
