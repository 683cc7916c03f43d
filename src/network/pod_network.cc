#include "network/pod_network.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/error.h"
#include "base/scope_guard.h"
#include "network/config.h"
#include "network/ipam.h"
#include "network/ipv4.h"
#include "network/netlink.h"
#include "network/nft_rules.h"
#include "network/sysctl.h"

namespace podlet::network {
namespace {

constexpr const char* kPodInterface = "eth0";

// The validated numbers of a NetworkSpec; computed before any side effect.
struct NetworkParams {
  std::string bridge;
  Ipv4Net subnet;
  Ipv4 gateway;
};

NetworkParams validate(const plan::NetworkSpec& spec, bool need_uid = true) {
  if (!spec.enabled) fail("the pod uses the host's network: nothing to attach");
  if (need_uid && spec.pod_uid.empty()) fail("network: the pod UID (IPAM key) is empty");
  NetworkParams p;
  validate_link_name(spec.bridge, "network bridge");
  p.bridge = spec.bridge;
  p.subnet = parse_cidr(spec.subnet, "network subnet");
  p.gateway = parse_ipv4(spec.gateway, "network gateway");
  if (!p.subnet.contains(p.gateway))
    fail("network gateway {} is outside subnet {}", spec.gateway, spec.subnet);
  return p;
}

std::vector<NatPod> nat_pods(const IpamState& state) {
  std::vector<NatPod> out;
  for (const auto& [uid, a] : state.pods) out.push_back({a.ip, a.ports});
  return out;
}

void apply_nat(const NetworkParams& p, const IpamState& state) {
  run_nft(render_nat_table(nft_table_name(p.bridge), p.subnet, nat_pods(state)));
}

// Drops allocations whose infra is gone; their host veths went with their
// namespaces, but a half-torn-down one is removed too.
std::vector<std::string> drop_stale(IpamState& state, Netlink& host, const LivenessCheck& alive,
                                    const std::string& keep_uid = {}) {
  std::vector<std::string> dropped;
  for (const auto& uid : stale_allocations(state, alive)) {
    if (uid == keep_uid) continue;
    const Allocation& a = state.pods.at(uid);
    spdlog::info("network: reclaiming {} of pod {} (its infra process {} is gone)", to_string(a.ip), a.pod,
                 a.owner.pid);
    try {
      if (!a.host_veth.empty()) host.delete_link_if_exists(a.host_veth);
    } catch (const Error& e) {
      spdlog::warn("network: {}", e.what());
    }
    state.pods.erase(uid);
    dropped.push_back(uid);
  }
  return dropped;
}

// Makes sure the bridge exists, carries the gateway address, is up and answers
// DNATed traffic from 127.0.0.1. Returns the MTU pods get.
unsigned ensure_bridge(Netlink& host, const NetworkParams& p, unsigned mtu, Rollback& undo) {
  std::string type = host.link_type(p.bridge);
  if (!host.link_exists(p.bridge)) {
    host.create_bridge(p.bridge, mtu);
    undo.push("bridge " + p.bridge, [&host, name = p.bridge] { host.delete_link_if_exists(name); });
  } else if (type != "bridge") {
    fail("network: link {} exists and is not a bridge ({})", p.bridge, type.empty() ? "unknown type" : type);
  } else if (mtu && host.link_mtu(p.bridge) != mtu) {
    host.set_mtu(p.bridge, mtu);
  }
  host.add_address(p.bridge, p.gateway, p.subnet.prefix);
  host.set_up(p.bridge);
  set_sysctl("net/ipv4/conf/" + p.bridge + "/route_localnet", "1");
  return host.link_mtu(p.bridge);
}

void configure_pod_side(int netns_fd, const Ipv4& ip, const NetworkParams& p) {
  // ICMP echo sockets for every group, as Podman and Docker set it: ping works in
  // the pod without CAP_NET_RAW.
  set_sysctl_in_netns(netns_fd, "net/ipv4/ping_group_range", "0 2147483647");
  Netlink pod = Netlink::in_netns(netns_fd);
  pod.set_up("lo");
  pod.add_address(kPodInterface, ip, p.subnet.prefix);
  pod.set_up(kPodInterface);
  pod.add_default_route(kPodInterface, p.gateway);
}

void adopt_subnet(IpamState& state, const NetworkParams& p) {
  std::string subnet = to_string(p.subnet);
  if (!state.subnet.empty() && state.subnet != subnet && !state.pods.empty()) {
    fail("network {}: {} pod(s) still hold addresses in subnet {}; stop them before changing it to {}",
         p.bridge, state.pods.size(), state.subnet, subnet);
  }
  state.subnet = subnet;
}

}  // namespace

std::string host_veth_name(const std::string& pod_uid) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a 64
  for (unsigned char c : pod_uid) h = (h ^ c) * 1099511628211ull;
  return fmt::format("plv{:012x}", h & 0xffffffffffffull);
}

Attachment attach_pod(const plan::NetworkSpec& spec, const std::string& ipam_dir, int pod_netns_fd,
                      const std::string& pod, pid_t owner_pid) {
  // No context of our own: the caller says which pod and step ("infra of pod x: attach network").
  NetworkParams p = validate(spec);
  auto ports = normalize_ports(spec.ports, pod);
  ProcessIdentity owner = identify_process(owner_pid);
  std::string veth = host_veth_name(spec.pod_uid);

  IpamStore store(ipam_dir, p.bridge);
  IpamState& state = store.state();
  adopt_subnet(state, p);
  Netlink host;
  drop_stale(state, host, process_alive, spec.pod_uid);

  std::optional<Ipv4> ip;
  if (auto it = state.pods.find(spec.pod_uid); it != state.pods.end()) {
    // The same pod again (its infra restarted): keep its address once the old owner is gone.
    if (process_alive(it->second.owner) && it->second.owner != owner) {
      fail("pod UID {} is already attached (infra process {})", spec.pod_uid, it->second.owner.pid);
    }
    if (p.subnet.contains(it->second.ip)) ip = it->second.ip;
    host.delete_link_if_exists(it->second.host_veth);
    state.pods.erase(it);
  }
  check_port_conflicts(state, spec.pod_uid, pod, ports);
  if (!ip) ip = next_free_address(state, p.subnet, p.gateway);

  Rollback undo([](const std::string& m) { spdlog::warn("{}", m); });
  set_sysctl("net/ipv4/ip_forward", "1");
  unsigned mtu = ensure_bridge(host, p, spec.mtu, undo);
  host.delete_link_if_exists(veth);  // a leftover of this pod's earlier life
  host.create_veth(veth, kPodInterface, pod_netns_fd, mtu);
  undo.push("veth " + veth, [&host, veth] { host.delete_link_if_exists(veth); });
  host.set_master(veth, p.bridge);
  host.set_up(veth);
  configure_pod_side(pod_netns_fd, *ip, p);

  state.pods[spec.pod_uid] = Allocation{pod, *ip, veth, owner, ports};
  state.last = *ip;
  store.save();
  undo.push("address " + to_string(*ip) + " of pod " + pod, [&store, &state, &p, uid = spec.pod_uid] {
    state.pods.erase(uid);
    store.save();
    apply_nat(p, state);
  });
  apply_nat(p, state);
  undo.dismiss();
  return Attachment{to_string(*ip), p.subnet.prefix, to_string(p.gateway), veth, kPodInterface, mtu};
}

void detach_pod(const plan::NetworkSpec& spec, const std::string& ipam_dir) {
  if (!spec.enabled) return;
  NetworkParams p = validate(spec);
  IpamStore store(ipam_dir, p.bridge);
  IpamState& state = store.state();
  Netlink host;
  std::string veth = host_veth_name(spec.pod_uid);
  if (auto it = state.pods.find(spec.pod_uid); it != state.pods.end()) {
    veth = it->second.host_veth;
    state.pods.erase(it);
  }
  host.delete_link_if_exists(veth);
  drop_stale(state, host, process_alive);
  store.save();
  apply_nat(p, state);
  // The last pod took the bridge's reason to exist with it.
  if (state.pods.empty() && host.link_type(p.bridge) == "bridge") host.delete_link_if_exists(p.bridge);
}

std::vector<std::string> reclaim_stale_pods(const plan::NetworkSpec& spec, const std::string& ipam_dir,
                                            const LivenessCheck& alive) {
  return with_context("network " + spec.bridge + ": reclaim stale allocations", [&] {
    NetworkParams p = validate(spec, false);
    IpamStore store(ipam_dir, p.bridge);
    IpamState& state = store.state();
    Netlink host;
    auto dropped = drop_stale(state, host, alive);
    if (!dropped.empty()) {
      store.save();
      apply_nat(p, state);
      if (state.pods.empty() && host.link_type(p.bridge) == "bridge") host.delete_link_if_exists(p.bridge);
    }
    return dropped;
  });
}

std::vector<std::pair<std::string, PodAddress>> list_attachments(const plan::NetworkSpec& spec,
                                                                 const std::string& ipam_dir) {
  validate_link_name(spec.bridge, "network bridge");
  IpamStore store(ipam_dir, spec.bridge);
  std::vector<std::pair<std::string, PodAddress>> out;
  for (const auto& [uid, a] : store.state().pods) out.push_back({uid, {a.pod, to_string(a.ip), a.host_veth}});
  return out;
}

}  // namespace podlet::network
