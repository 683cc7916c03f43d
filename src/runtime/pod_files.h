// The pod-level host state the infra prepares before containers start and its
// stop path removes: the pod's /dev/shm, its volumes (emptyDir on disk or in
// memory, configMap and secret contents on a fresh tmpfs each start so nothing
// secret touches the disk and nothing a container planted survives, hostPath type
// checks, persistent volume dirs) and the /etc/hostname, /etc/hosts and
// /etc/resolv.conf files containers bind-mount.
#pragma once

#include <string>
#include <vector>

#include "base/scope_guard.h"
#include "plan/runtime_spec.h"

namespace podlet::runtime {

// Idempotent over what a killed earlier run left behind. Each step that changes the
// host pushes its undo onto `undo`. Throws podlet::Error naming the volume/file.
void prepare_pod_files(const plan::InfraSpec& spec, Rollback& undo);

// The pod's /etc/hosts (plan/pod_hosts.h) before the network layer adds the
// other pods; pod_ip may be empty (no pod network).
void write_etc_hosts(const plan::InfraSpec& spec, const std::string& pod_ip);

// Removes everything prepare_pod_files and write_etc_hosts made, except hostPath
// and persistent volumes. Tries every step; returns the failures (empty: all done).
std::vector<std::string> remove_pod_files(const plan::InfraSpec& spec);

}  // namespace podlet::runtime
