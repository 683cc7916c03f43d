// Attaching a pod's network namespace to the host's pod network, and detaching it.
//
// attach_pod, run by the pod's infra once its network namespace exists:
//   host side (the calling thread's network namespace): net.ipv4.ip_forward=1; the
//   bridge (created on first use, gateway address, up, route_localnet=1 so hostPorts
//   answer on 127.0.0.1); a veth pair whose host end joins the bridge;
//   pod side: the peer, created directly in the pod's namespace as eth0, with the
//   pod's address, up, default route via the gateway, lo up, ping_group_range open
//   to every group (ping without CAP_NET_RAW, as Podman);
//   IPAM: the address and hostPorts recorded under the pod UID; the nft table
//   re-rendered with the pod's hostPorts. Everything under the network's IPAM lock;
//   a failure undoes every step already done.
// detach_pod, run from the infra's stop path (so `systemctl stop` and a killed
//   infra both release): removes the allocation, the host veth (and with it eth0),
//   and the pod's nft rules. When the last pod leaves, the nft table and the bridge
//   go too, so an idle host carries no trace of podlet's network.
// Allocations whose owner (the infra process, by pid and start time) is gone are
// reclaimed by every attach and detach.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "network/process_identity.h"
#include "plan/runtime_spec.h"

namespace podlet::network {

struct Attachment {
  std::string ip;
  int prefix = 0;
  std::string gateway;
  std::string host_veth;
  std::string interface = "eth0";  // inside the pod
  unsigned mtu = 0;
};

// `pod` names the pod in messages ("namespace/name"); `owner_pid` is the process
// whose life keeps the allocation (the infra), as seen from the pid namespace podlet
// commands run in. Throws podlet::Error (with everything undone) on failure, e.g.
// when a hostPort is already published by another pod.
Attachment attach_pod(const plan::NetworkSpec& spec, const std::string& ipam_dir, int pod_netns_fd,
                      const std::string& pod, pid_t owner_pid);

// Idempotent: a pod that is not attached is fine.
void detach_pod(const plan::NetworkSpec& spec, const std::string& ipam_dir);

// Releases allocations whose owner is no longer alive; returns their pod UIDs.
std::vector<std::string> reclaim_stale_pods(const plan::NetworkSpec& spec, const std::string& ipam_dir,
                                            const LivenessCheck& alive = process_alive);

// The current allocation of a pod, if any (for inspect/ps and tests).
struct PodAddress {
  std::string pod;
  std::string ip;
  std::string host_veth;
};
std::vector<std::pair<std::string, PodAddress>> list_attachments(const plan::NetworkSpec& spec,
                                                                 const std::string& ipam_dir);

// "plv" + 12 hex digits of a hash of the pod UID: stable, fits IFNAMSIZ.
std::string host_veth_name(const std::string& pod_uid);

}  // namespace podlet::network
