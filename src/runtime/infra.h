// The pod's infra process (`podlet internal infra`): prepares the pod's host state
// (pod_files.h), creates the namespaces the pod's containers share (net, uts, ipc,
// and pid for shareProcessNamespace, where a forked child becomes PID 1 of the pod
// and reaps zombies), sets the hostname, brings up lo, attaches the network, writes
// the pid file containers join through, notifies READY=1 and then sleeps in
// sigwaitinfo until SIGTERM.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "plan/runtime_spec.h"

namespace podlet::runtime {

struct InfraHooks {
  // "attach network": called once the pod's network namespace exists, with the
  // infra's pid (the process whose life owns the pod) and an fd of that namespace;
  // returns the pod IP ("" when the pod has no pod network). Throwing aborts the start.
  std::function<std::string(const plan::InfraSpec& spec, pid_t infra_pid, int netns_fd)> attach_network;
  // The reverse, from the infra's stop path; must be idempotent.
  std::function<void(const plan::InfraSpec& spec)> detach_network;
  // "publish /etc/hosts": called once the pod's hosts file is written (pod_ip as
  // attach_network returned it), so the network layer can add the other pods to it
  // and this pod to theirs. Throwing aborts the start (detach_network undoes it).
  std::function<void(const plan::InfraSpec& spec, const std::string& pod_ip, pid_t infra_pid)> publish_hosts;
};

// Returns 0 in the process that should exit (after a forked PID 1 took over);
// otherwise holds the namespaces until SIGTERM and exits 0 without returning.
// Throws podlet::Error (after undoing what it did) when the pod cannot be set up.
int run_infra(const plan::InfraSpec& spec, const InfraHooks& hooks);

// The infra's stop path (ExecStopPost): detaches the network, removes the pod's
// host state and the pid file. Idempotent; works after the infra was SIGKILLed.
// Returns the steps that failed (empty: everything removed).
std::vector<std::string> cleanup_infra(const plan::InfraSpec& spec, const InfraHooks& hooks);

// Sets IFF_UP on lo in the caller's network namespace (SIOCSIFFLAGS). noexcept:
// it runs in the forked PID 1 too. 0 or -errno.
int bring_up_loopback() noexcept;

}  // namespace podlet::runtime
