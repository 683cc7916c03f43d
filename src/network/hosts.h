// /etc/hosts of the pods on a network. Each pod's file is rendered from its own
// name and address, its hostAliases and the other running pods on the same
// network, so pods reach each other by name without a DNS daemon.
//
// A registry (<runroot>/network/hosts.json, under hosts.lock) records what every
// running pod publishes; publishing or withdrawing a pod rewrites the hosts file
// of every pod on that network IN PLACE (same inode: the file is bind-mounted into
// the containers). Records whose owner (the pod's infra) is gone are dropped.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "network/process_identity.h"
#include "plan/pod_hosts.h"

namespace podlet::network {

// The file itself is rendered by plan/pod_hosts.h (the infra writes it first).
using plan::HostAliases;
using plan::HostsEntry;

// Replaces a file's content keeping its inode (creates it, mode 0644, if missing).
void rewrite_in_place(const std::string& path, std::string_view content);

struct HostsRecord {
  std::string pod_id;   // registry key ("namespace_name")
  std::string network;  // only pods on the same network see each other
  HostsEntry self;      // the names other pods use for it (and its own entry)
  HostAliases aliases;
  std::string hosts_file;  // the host file bind-mounted as the pod's /etc/hosts
  ProcessIdentity owner;   // the pod's infra
};

// Adds or replaces `record`, then rewrites the hosts files of all pods on its network.
void publish_pod_hosts(const std::string& runroot, const HostsRecord& record,
                       const LivenessCheck& alive = process_alive);
// Removes the pod (if present), then rewrites the hosts files of the others on its network.
void withdraw_pod_hosts(const std::string& runroot, const std::string& pod_id,
                        const LivenessCheck& alive = process_alive);
// The live records (for tests and inspection).
std::vector<HostsRecord> list_pod_hosts(const std::string& runroot,
                                        const LivenessCheck& alive = process_alive);

}  // namespace podlet::network
