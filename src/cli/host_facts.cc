#include "cli/host_facts.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>

#include "base/atomic_file.h"
#include "base/error.h"
#include "network/config.h"
#include "plan/paths.h"
#include "runtime/self_exe.h"

namespace podlet::cli {

namespace {

// The first IPv4 address of an up, non-loopback interface that is not podlet's bridge.
std::string host_ipv4(const std::string& bridge) {
  struct ifaddrs* list = nullptr;
  if (::getifaddrs(&list) < 0) return "";
  std::string found;
  for (auto* ifa = list; ifa && found.empty(); ifa = ifa->ifa_next) {
    if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET) continue;
    if ((ifa->ifa_flags & IFF_LOOPBACK) || !(ifa->ifa_flags & IFF_UP) || bridge == ifa->ifa_name) continue;
    char buf[INET_ADDRSTRLEN];
    auto* sin = reinterpret_cast<struct sockaddr_in*>(ifa->ifa_addr);
    if (::inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf)) found = buf;
  }
  ::freeifaddrs(list);
  return found;
}

// A missing file is a fact too: no resolver configured, no systemd-resolved.
std::string read_if_readable(const char* path) {
  if (::access(path, R_OK) != 0) return "";
  try {
    return read_file(path);
  } catch (const Error&) {
    return "";
  }
}

}  // namespace

plan::PlanOptions host_plan_options(const plan::Paths& paths) {
  plan::PlanOptions o;
  o.paths = paths;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw system_error("readlink /proc/self/exe", ec.value());
  o.podlet_binary = self.string();
  struct utsname u {};
  if (::uname(&u) == 0) o.node_name = u.nodename;
  auto net = network::load_network_config(paths.root);
  network::apply_network_config(net, o.network);
  o.host_ip = host_ipv4(net.bridge);
  // The pods' resolv.conf is computed from these by the planner (plan/pod_dns.h).
  o.host_resolv_conf = read_if_readable("/etc/resolv.conf");
  o.host_resolved_upstream = read_if_readable("/run/systemd/resolve/resolv.conf");
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (cpus > 0) o.node_cpu_millis = cpus * 1000;
  if (pages > 0 && page > 0) o.node_memory_bytes = static_cast<int64_t>(pages) * page;
  return o;
}

void require_runtime_binary() {
  if (runtime::find_runtime_binary().empty())
    throw Error(std::string(plan::kRuntimeBinaryName) +
                " is not installed next to podlet (container units run it from podlet's directory)");
}

}  // namespace podlet::cli
