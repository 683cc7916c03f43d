// sd_notify(3) for the entrypoints systemd runs as Type=notify units.
#pragma once

#include <sys/types.h>

namespace podlet::runtime {

// READY=1, preceded by MAINPID=<main_pid> when another process takes over as the
// unit's main process. A no-op without $NOTIFY_SOCKET. Throws podlet::Error when
// the message cannot be sent.
void notify_ready(pid_t main_pid = 0);

// The unit's StatusText while its main process is the workload (set with MAINPID=):
// a container unit that failed with this status failed because its workload ended
// (or could not exec), not because the entrypoint's setup failed.
inline constexpr const char* kWorkloadIsMainStatus = "workload is the main process";

// MAINPID=<pid> and STATUS=kWorkloadIsMainStatus, then waits until systemd has processed it
// (sd_notify_barrier): from then on systemd treats `pid` as the unit's main process and records its exit
// status. A no-op without $NOTIFY_SOCKET. Throws podlet::Error when systemd does not answer.
void notify_main_pid(pid_t pid);

}  // namespace podlet::runtime
