#include "plan/pod_hosts.h"

#include <algorithm>

namespace podlet::plan {

namespace {

std::string line(const std::string& ip, const std::vector<std::string>& names) {
  std::string out = ip;
  for (const auto& n : names) out += "\t" + n;
  return out + "\n";
}

std::string render_aliases(const HostAliases& aliases) {
  if (aliases.empty()) return "";
  std::string out = "\n# Entries added by HostAliases.\n";
  for (const auto& [ip, names] : aliases) out += line(ip, names);
  return out;
}

}  // namespace

std::string render_pod_hosts(const HostsEntry& self, const HostAliases& aliases,
                             const std::vector<HostsEntry>& peers) {
  std::string out =
      "# Kubernetes-managed hosts file (podlet).\n"
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\n"
      "fe00::0\tip6-mcastprefix\n"
      "fe00::1\tip6-allnodes\n"
      "fe00::2\tip6-allrouters\n";
  if (!self.ip.empty() && !self.names.empty()) out += line(self.ip, self.names);
  out += render_aliases(aliases);
  if (!peers.empty()) {
    out += "\n# Other pods on this network.\n";
    for (const auto& p : peers) out += line(p.ip, p.names);
  }
  return out;
}

std::string render_host_network_hosts(const std::string& host_hosts, const HostAliases& aliases) {
  std::string out = host_hosts;
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + render_aliases(aliases);
}

std::vector<std::string> pod_host_names(const InfraSpec& spec) {
  std::vector<std::string> names;
  auto add = [&](const std::string& n) {
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  add(spec.hostname);
  auto slash = spec.pod.find('/');
  if (slash != std::string::npos) {
    std::string ns = spec.pod.substr(0, slash), name = spec.pod.substr(slash + 1);
    add(name);
    add(name + "." + ns);
  } else {
    add(spec.pod);
  }
  return names;
}

}  // namespace podlet::plan
