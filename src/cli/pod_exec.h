// `podlet exec`: running a command inside a running container, the way `runc exec`
// does. The container's workload (its unit's MainPID) is the reference for what
// "inside" means, so exec'd processes see exactly what the workload sees:
//   - its cgroup (the container unit's): limits apply, `systemctl stop` kills them;
//   - every namespace of the workload that differs from podlet's (setns through a
//     pidfd: mount, pid, net, uts, ipc, cgroup, ...), then its root directory;
//   - its uid, gid and supplementary groups and its capability set (bounding =
//     permitted = effective, inheritable and ambient empty), no_new_privs and the
//     container's seccomp filter;
//   - its initial environment (/proc/PID/environ) and the container's working dir.
// The command is the child of an intermediate process inside the pid namespace
// (setns of a pid namespace applies to children only); its exit status, or 128 +
// signal, is exec's. With a tty, the command's terminal is a pty that podlet opens
// through the container's root fd from the container's devpts (never by a path the
// container controls) and relays.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "plan/runtime_spec.h"

namespace podlet::cli {

struct ExecTarget {
  pid_t pid = 0;              // the container's workload (its unit's MainPID)
  std::string control_group;  // the container unit's cgroup, relative to the cgroup2 root
  plan::ContainerSpec spec;   // working dir and seccomp profile
};

struct ExecOptions {
  std::vector<std::string> argv;
  bool stdin_open = false;  // -i: pass stdin; otherwise /dev/null (or, with tty, no input)
  // -t: the command gets a pty of the container's own devpts as its controlling terminal
  // (runtime/tty.h); podlet relays it to its own terminal, which is raw meanwhile
  // (runtime/tty_session.h), and passes its window size on.
  bool tty = false;
};

// What the workload runs as, read from /proc/PID/status.
struct ProcessCredentials {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> groups;
  uint64_t cap_bounding = 0;
  bool no_new_privs = false;
  bool seccomp = false;  // a seccomp filter is loaded
};

// Parses the text of /proc/PID/status. Throws podlet::Error when a field is missing.
ProcessCredentials parse_proc_status(const std::string& status_text);

// Splits /proc/PID/environ ("K=V\0K=V\0").
std::vector<std::string> parse_environ(const std::string& environ_text);

// Runs the command and returns its exit status (128 + signal when killed). Throws
// podlet::Error when the container cannot be entered (the message names the step).
int exec_in_container(const ExecTarget& target, const ExecOptions& options);

}  // namespace podlet::cli
