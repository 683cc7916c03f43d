// `podlet exec`: running a command inside a running container, the way `runc exec`
// does. The container's workload (its unit's MainPID) is the reference for what
// "inside" means, so exec'd processes see exactly what the workload sees:
//   - its cgroup (the container unit's): limits apply, `systemctl stop` kills them;
//   - every namespace of the workload that differs from podlet's (setns through a
//     pidfd: mount, pid, net, uts, ipc, cgroup, ...), then its root directory (the
//     fd of /proc/PID/root, opened once);
//   - its uid, gid and supplementary groups and its capability set (bounding =
//     permitted = effective, inheritable and ambient empty), no_new_privs and the
//     container's seccomp filter;
//   - its initial environment (/proc/PID/environ) and the container's working dir.
// The command is the child of an intermediate process inside the pid namespace
// (setns of a pid namespace applies to children only); its exit status, or 128 +
// signal, is the intermediate's. Both stay non-dumpable until the command execs. The
// command's setup ends as the container's workload's does (process_finish.h), and
// both processes report a failed step through one child_report pipe. With a tty,
// the command's terminal is a pty that podlet opens through the container's root fd
// from the container's devpts (never by a path the container controls).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/child_process.h"
#include "base/error.h"
#include "base/fd.h"
#include "plan/runtime_spec.h"
#include "runtime/child_report.h"

namespace podlet::runtime {

struct ExecTarget {
  pid_t pid = 0;              // the container's workload (its unit's MainPID)
  std::string control_group;  // the container unit's cgroup, relative to the cgroup2 root
  plan::ContainerSpec spec;   // working dir and seccomp profile
};

struct ExecOptions {
  std::vector<std::string> argv;
  bool stdin_open = false;  // -i: pass stdin; otherwise /dev/null (or, with tty, no input)
  // -t: the command gets a pty of the container's own devpts as its controlling terminal
  // (tty.h); the caller relays it (tty_session.h).
  bool tty = false;
  // Without tty: the command's stdout and stderr (-1: podlet's own). Probes read it.
  int output_fd = -1;
  // Seconds after which the intermediate kills the command (SIGKILL); 0: never.
  unsigned timeout_seconds = 0;
};

// The container could not be entered or the command not executed: the message names
// the step; exit_code() is exec's (ContainerExit: 125, 126 or 127).
using ExecError = ChildStartError;

// A command that runs in the container.
struct RunningExec {
  ChildProcess process;  // the intermediate: its exit status is the command's
  UniqueFd terminal;     // -t: podlet's end of the command's pty (O_CLOEXEC)
};

// Enters the container and starts the command; returns once it has exec'd. Without
// tty, SIGINT, SIGTERM, SIGHUP and SIGQUIT reaching podlet are forwarded to the command
// from the fork on; with tty the caller blocks them before (tty_session.h:
// SessionSignals) and relays them. Throws ExecError for a failed step in the
// container, podlet::Error when the target cannot be read (the workload is gone, ...).
RunningExec start_exec(const ExecTarget& target, const ExecOptions& options);

// Waits for the command: its exit status, or 128 + the signal that killed it.
int wait_exec(RunningExec& exec);

}  // namespace podlet::runtime
