#include "network/infra_network.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "network/hosts.h"
#include "network/netns_thread.h"
#include "network/pod_network.h"

namespace podlet::network {

namespace {

bool same_namespace(int a, int b) {
  struct stat sa {
  }, sb{};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace

std::string attach_infra_network(const plan::InfraSpec& spec, const plan::Paths& paths, pid_t infra_pid,
                                 int netns_fd) {
  if (!spec.network.enabled) return "";
  auto attach = [&] { return attach_pod(spec.network, paths.ipam(), netns_fd, spec.pod, infra_pid).ip; };
  // An infra that unshared its own namespaces calls from inside the pod's network
  // namespace: the host side is then the one it was started in, its parent's (systemd).
  UniqueFd self = open_fd("/proc/thread-self/ns/net", O_RDONLY);
  if (!same_namespace(self.get(), netns_fd)) return attach();
  UniqueFd host = open_fd("/proc/" + std::to_string(::getppid()) + "/ns/net", O_RDONLY);
  if (same_namespace(host.get(), netns_fd)) fail("cannot find the host's network namespace");
  return run_in_netns(host.get(), attach);
}

void publish_infra_hosts(const plan::InfraSpec& spec, const plan::Paths& paths, const std::string& pod_ip,
                         pid_t infra_pid) {
  if (spec.etc_hosts.empty()) return;
  if (!spec.network.enabled) {
    // hostNetwork: the host's own names, as the kubelet copies them, plus hostAliases.
    std::string host_hosts = ::access("/etc/hosts", R_OK) == 0 ? read_file("/etc/hosts") : "";
    rewrite_in_place(spec.etc_hosts, plan::render_host_network_hosts(host_hosts, spec.host_aliases));
    return;
  }
  if (pod_ip.empty()) return;
  HostsRecord record;
  record.pod_id = spec.pod_id;
  record.network = spec.network.bridge;
  record.self = {pod_ip, plan::pod_host_names(spec)};
  record.aliases = spec.host_aliases;
  record.hosts_file = spec.etc_hosts;
  record.owner = identify_process(infra_pid);
  publish_pod_hosts(paths.runroot, record);
}

void detach_infra_network(const plan::InfraSpec& spec, const plan::Paths& paths) {
  if (!spec.network.enabled) return;
  std::string failure;
  try {
    withdraw_pod_hosts(paths.runroot, spec.pod_id);
  } catch (const Error& e) {
    failure = e.what();
  }
  // The address is released even when the hosts registry could not be updated.
  detach_pod(spec.network, paths.ipam());
  if (!failure.empty()) throw Error(failure);
}

}  // namespace podlet::network
