// IP address management for one pod network: which pod (by UID) holds which
// address and hostPorts. The state is one JSON file per network under the IPAM
// dir (<root>/ipam/<bridge>.json), read and written only while holding
// <bridge>.lock, written atomically. The decisions (next free address, port
// conflicts, stale owners) are pure functions of that state, unit-tested alone.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/file_lock.h"
#include "network/ipv4.h"
#include "network/process_identity.h"
#include "plan/runtime_spec.h"

namespace podlet::network {

struct Allocation {
  std::string pod;  // "namespace/name", for messages
  Ipv4 ip;
  std::string host_veth;
  ProcessIdentity owner;                 // the pod's infra; when it is gone the allocation is stale
  std::vector<plan::PortMapping> ports;  // normalised hostPorts (see normalize_ports)
};

struct IpamState {
  std::string subnet;                      // the subnet the allocations were made from
  Ipv4 last;                               // last address handed out: allocation continues after it
  std::map<std::string, Allocation> pods;  // by pod UID
};

void to_json(nlohmann::json& j, const IpamState& v);
void from_json(const nlohmann::json& j, IpamState& v);

// Keeps only mappings with a hostPort, lower-cases the protocol, turns hostIP
// "0.0.0.0" into "" (all addresses). Throws podlet::Error for an invalid
// protocol, hostIP, port 0 or the same host port listed twice in one pod.
std::vector<plan::PortMapping> normalize_ports(const std::vector<plan::PortMapping>& ports,
                                               const std::string& pod);

// Throws podlet::Error naming both pods when one of `ports` is already
// published by another pod in `state` (same protocol and port, overlapping hostIP).
void check_port_conflicts(const IpamState& state, const std::string& pod_uid, const std::string& pod,
                          const std::vector<plan::PortMapping>& ports);

// The next free host address after state.last (wrapping), skipping the network,
// broadcast and gateway addresses. Throws podlet::Error when the subnet is full.
Ipv4 next_free_address(const IpamState& state, const Ipv4Net& subnet, Ipv4 gateway);

// UIDs of allocations whose owner is no longer alive.
std::vector<std::string> stale_allocations(const IpamState& state, const LivenessCheck& alive);

// The locked on-disk state of one network. Holding an IpamStore serialises every
// podlet process that changes that network (addresses, links, nft table).
class IpamStore {
 public:
  IpamStore(const std::string& ipam_dir, const std::string& network);
  IpamState& state() { return state_; }
  const IpamState& state() const { return state_; }
  // Writes the state atomically.
  void save();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  FileLock lock_;
  IpamState state_;
};

}  // namespace podlet::network
