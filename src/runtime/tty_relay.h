// The relay that keeps a `tty: true` container's terminal alive. podlet has no conmon:
// for a tty container (and only for one) the container entrypoint does not exit once the
// workload runs, but stays behind as this relay, so that
//   - the pty master stays open: the workload is not hung up (SIGHUP, EIO) and, with
//     stdin: true, does not read end of file (podlet has no attach: no input is sent);
//   - what the workload writes is drained into the entrypoint's stdout (the unit's
//     journal stream, so `podlet logs` shows it) and the workload never blocks on a
//     full pty buffer;
//   - SIGTERM, SIGINT, SIGHUP and SIGQUIT sent to the entrypoint reach the workload.
// The workload stays the unit's main process (MAINPID): systemd records its exit status
// itself, and the unit's control-group kill reaches both. The relay leaves once the
// workload has exited and its output is drained (EIO: no slave fd is open any more).
//
// The relay runs on the host with host fds, so it keeps nothing a container process
// could use: it is not dumpable, holds only stdout/stderr, the master and the
// workload's pidfd (every other fd is closed), keeps only CAP_KILL (to signal a
// workload of another uid) with no_new_privs, and never resolves a path.
#pragma once

#include "base/fd.h"

namespace podlet::runtime {

// Relays until the workload (workload_pidfd) has exited and the terminal is drained.
// Returns the entrypoint's exit code: 0, or kExitSetupFailed when it could not relay
// (a message is written to stderr).
int relay_container_terminal(UniqueFd master, UniqueFd workload_pidfd) noexcept;

}  // namespace podlet::runtime
