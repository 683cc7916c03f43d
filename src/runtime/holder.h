// The minimal process that holds a pod's namespaces (holder/holder.c): a tiny
// static program embedded in podlet that the infra execs in place once the pod is
// set up, so that what stays resident per pod is a few pages, not podlet with all
// its libraries.
#pragma once

namespace podlet::runtime {

// Replaces the calling process with the holder, run from a sealed memfd: same pid,
// namespaces and blocked signals (it reaps children and exits 0 on SIGTERM or
// SIGINT). Returns -errno only when it could not (the caller then holds itself).
// Until the holder makes itself non-dumpable again, /proc/PID stays closed to a
// container sharing its pid namespace all the same: access also needs the caller's
// capabilities to cover the holder's full set (or CAP_SYS_PTRACE).
int exec_holder() noexcept;

}  // namespace podlet::runtime
