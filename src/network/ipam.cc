#include "network/ipam.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fs_tree.h"

namespace podlet::network {
namespace {

bool host_ips_overlap(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || a == b;
}

}  // namespace

void to_json(nlohmann::json& j, const IpamState& v) {
  nlohmann::json pods = nlohmann::json::object();
  for (const auto& [uid, a] : v.pods) {
    pods[uid] = {{"pod", a.pod},
                 {"ip", to_string(a.ip)},
                 {"host_veth", a.host_veth},
                 {"owner_pid", a.owner.pid},
                 {"owner_start_time", a.owner.start_time},
                 {"ports", a.ports}};
  }
  j = {{"subnet", v.subnet}, {"last", to_string(v.last)}, {"pods", std::move(pods)}};
}

void from_json(const nlohmann::json& j, IpamState& v) {
  v.subnet = j.value("subnet", std::string());
  v.last = try_parse_ipv4(j.value("last", std::string())).value_or(Ipv4{});
  v.pods.clear();
  const nlohmann::json pods = j.value("pods", nlohmann::json::object());
  for (const auto& [uid, p] : pods.items()) {
    Allocation a;
    a.pod = p.value("pod", std::string());
    a.ip = parse_ipv4(p.value("ip", std::string()), "IPAM allocation of pod UID " + uid);
    a.host_veth = p.value("host_veth", std::string());
    a.owner.pid = p.value("owner_pid", pid_t{0});
    a.owner.start_time = p.value("owner_start_time", uint64_t{0});
    a.ports = p.value("ports", std::vector<plan::PortMapping>{});
    v.pods.emplace(uid, std::move(a));
  }
}

std::vector<plan::PortMapping> normalize_ports(const std::vector<plan::PortMapping>& ports,
                                               const std::string& pod) {
  std::vector<plan::PortMapping> out;
  for (const auto& in : ports) {
    if (in.host_port == 0) continue;  // containerPort only: nothing to publish
    plan::PortMapping p = in;
    std::transform(p.protocol.begin(), p.protocol.end(), p.protocol.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (p.protocol.empty()) p.protocol = "tcp";
    if (p.protocol != "tcp" && p.protocol != "udp" && p.protocol != "sctp") {
      fail("pod {}: hostPort {}: unsupported protocol \"{}\" (TCP, UDP or SCTP)", pod, p.host_port,
           in.protocol);
    }
    if (p.container_port == 0) fail("pod {}: hostPort {}: containerPort must not be 0", pod, p.host_port);
    if (p.host_ip == "0.0.0.0") p.host_ip.clear();
    if (!p.host_ip.empty()) {
      parse_ipv4(p.host_ip, fmt::format("pod {}: hostPort {}: hostIP", pod, p.host_port));
    }
    for (const auto& q : out) {
      if (q.protocol == p.protocol && q.host_port == p.host_port && host_ips_overlap(q.host_ip, p.host_ip)) {
        fail("pod {}: hostPort {}/{} is listed twice", pod, p.host_port, p.protocol);
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

void check_port_conflicts(const IpamState& state, const std::string& pod_uid, const std::string& pod,
                          const std::vector<plan::PortMapping>& ports) {
  for (const auto& [uid, other] : state.pods) {
    if (uid == pod_uid) continue;
    for (const auto& mine : ports) {
      for (const auto& theirs : other.ports) {
        if (mine.protocol == theirs.protocol && mine.host_port == theirs.host_port &&
            host_ips_overlap(mine.host_ip, theirs.host_ip)) {
          fail("pod {}: hostPort {}/{}{} is already published by pod {} ({})", pod, mine.host_port,
               mine.protocol, mine.host_ip.empty() ? "" : " on " + mine.host_ip, other.pod,
               to_string(other.ip));
        }
      }
    }
  }
}

Ipv4 next_free_address(const IpamState& state, const Ipv4Net& subnet, Ipv4 gateway) {
  if (subnet.prefix > 30) fail("subnet {} is too small for pods", to_string(subnet));
  std::set<uint32_t> used;
  for (const auto& [uid, a] : state.pods) used.insert(a.ip.value);
  uint32_t first = subnet.network().value + 1;
  uint32_t last = subnet.broadcast().value - 1;
  uint32_t count = last - first + 1;
  uint32_t start = subnet.contains(state.last) ? state.last.value + 1 : first;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t candidate = first + (start - first + i) % count;
    if (candidate == gateway.value || used.count(candidate)) continue;
    return Ipv4{candidate};
  }
  fail("no free address left in subnet {} ({} pods attached)", to_string(subnet), state.pods.size());
}

std::vector<std::string> stale_allocations(const IpamState& state, const LivenessCheck& alive) {
  std::vector<std::string> out;
  for (const auto& [uid, a] : state.pods) {
    if (!alive(a.owner)) out.push_back(uid);
  }
  return out;
}

IpamStore::IpamStore(const std::string& ipam_dir, const std::string& network)
    : path_(ipam_dir + "/" + network + ".json"),
      lock_((make_dirs(ipam_dir, 0700), ipam_dir + "/" + network + ".lock")) {
  if (::access(path_.c_str(), F_OK) == 0) {
    try {
      state_ = nlohmann::json::parse(read_file(path_)).get<IpamState>();
    } catch (const nlohmann::json::exception& e) {
      fail("IPAM state {}: {}", path_, e.what());
    } catch (Error& e) {
      e.add_context("IPAM state " + path_);
      throw;
    }
  }
}

void IpamStore::save() {
  // Kept even when no pod is left: `last` stops a freed address from being handed out again right away.
  write_file_atomic(path_, nlohmann::json(state_).dump(2) + "\n", 0600);
}

}  // namespace podlet::network
