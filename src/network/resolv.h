// /etc/resolv.conf of a pod: the host's resolver as seen from the pod's network
// namespace, or the pod's dnsConfig (dnsPolicy None), merged as Kubernetes does.
#pragma once

#include <string>
#include <vector>

namespace podlet::network {

struct DnsSettings {
  std::vector<std::string> nameservers;
  std::vector<std::string> searches;
  std::vector<std::string> options;  // "ndots:5", "edns0"
};

DnsSettings parse_resolv_conf(const std::string& text);
std::string render_resolv_conf(const DnsSettings& dns);

// Kubernetes' dnsConfig merge: nameservers and searches are appended without
// duplicates, an option replaces the base option of the same name.
DnsSettings merge_dns_config(DnsSettings base, const DnsSettings& config);

// The host's resolver for a pod on the bridge: a loopback nameserver (e.g.
// systemd-resolved's 127.0.0.53) is unreachable from the pod's namespace, so the
// upstream servers of `resolved_upstream` (/run/systemd/resolve/resolv.conf) are
// used instead when there are any; otherwise loopback entries are dropped.
DnsSettings pod_dns_from_host(const std::string& host_resolv, const std::string& resolved_upstream = "");

// Reads /etc/resolv.conf (and /run/systemd/resolve/resolv.conf when present) and
// renders the pod's file. A missing host file gives an empty resolver config.
std::string host_resolv_conf_for_pod();

}  // namespace podlet::network
