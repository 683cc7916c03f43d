// sd_notify(3) for the entrypoints systemd runs as Type=notify units.
#pragma once

#include <sys/types.h>

namespace podlet::runtime {

// READY=1, preceded by MAINPID=<main_pid> when another process takes over as the
// unit's main process. A no-op without $NOTIFY_SOCKET. Throws podlet::Error when
// the message cannot be sent.
void notify_ready(pid_t main_pid = 0);

// MAINPID=<pid>, then waits until systemd has processed it (sd_notify_barrier): from
// then on systemd treats `pid` as the unit's main process and records its exit status.
// A no-op without $NOTIFY_SOCKET. Throws podlet::Error when systemd does not answer.
void notify_main_pid(pid_t pid);

}  // namespace podlet::runtime
