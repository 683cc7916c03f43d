// The minimal process that holds a pod's namespaces (holder/holder.c): a tiny
// static program embedded in podlet that the infra execs in place once the pod is
// set up, so that what stays resident per pod is a few pages, not podlet with all
// its libraries.
#pragma once

namespace podlet::runtime {

// Replaces the calling process with the holder, run from a sealed memfd: same pid,
// namespaces and blocked signals (it reaps children and exits 0 on SIGTERM or
// SIGINT). Returns -errno only when it could not (the caller then holds itself).
int exec_holder() noexcept;

}  // namespace podlet::runtime
