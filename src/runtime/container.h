// podlet's container entrypoint, parent side: reads a ContainerSpec, joins the
// pod's infra namespaces and clones the workload (CLONE_PARENT, so it becomes the
// child of whoever started podlet: systemd for a unit), which builds its root,
// drops privileges and execs. Errors before exec come back as ContainerStartError.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/fd.h"
#include "plan/runtime_spec.h"
#include "runtime/child_report.h"

namespace podlet::runtime {

// Exit codes of the container entrypoint when the workload never ran (as docker run).
enum ContainerExit : int {
  kExitSetupFailed = 125,  // a step before exec failed (spec, namespaces, mounts, user, ...)
  kExitCannotExec = 126,   // the executable exists but cannot be executed
  kExitNotFound = 127,     // the executable was not found
};

// The workload could not start (125: a step before exec failed; 126: cannot execute;
// 127: not found).
using ContainerStartError = ChildStartError;

// What the caller needs to look after the workload.
struct StartedContainer {
  pid_t pid = -1;     // in the caller's pid namespace
  UniqueFd pidfd;     // the workload's
  UniqueFd terminal;  // tty: true only: the master of the workload's pty, for
                      // relay_container_terminal (tty_relay.h); closing it hangs the workload up
};

// Starts the container's workload and returns once it has exec'd. Throws
// ContainerStartError with a message "container NAME: step: errno text" (the name
// added once, here) and the entrypoint's exit code (ContainerExit).
//
// before_exec(pid), when given, runs in the caller after the clone and before the
// workload may exec: a systemd unit's entrypoint makes the child the unit's main
// process there (MAINPID), so that systemd knows the pid before the workload can exit
// -- the child is systemd's (CLONE_PARENT), and a workload that exited and was reaped
// before MAINPID arrived would leave the unit with the entrypoint's exit status 0.
// When before_exec throws, the child leaves without exec and the error is rethrown.
StartedContainer launch_container(const plan::ContainerSpec& spec,
                                  const std::function<void(pid_t)>& before_exec = {});

}  // namespace podlet::runtime
