// The end of every process podlet starts inside a container -- the container's
// workload (container_child.cc) and `podlet exec`'s command (exec.cc) -- from its
// signals and standard input to execve. It runs after clone/fork: it never throws,
// reports a failed step through error_fd (child_report.h) and leaves with _exit; a
// successful execve closes error_fd, which tells the parent the program runs.
//
// The order is the contract: signals default and unblocked; the terminal (or stdin
// from /dev/null) and the working directory while still root; the seccomp filter
// before the identity switch without no_new_privs (loading it needs CAP_SYS_ADMIN
// then), after prctl(PR_SET_NO_NEW_PRIVS) with it; every fd above 2 close-on-exec;
// the exec gate when there is one; execve searching PATH of the process's own
// environment (never podlet's).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/seccomp_filter.h"

namespace podlet::runtime {

// Views of what the parent computed (and the child resolved): nothing is copied.
struct ProcessFinish {
  int error_fd = -1;        // the child_report pipe (O_CLOEXEC)
  int terminal = -1;        // a pty slave: the session's controlling terminal on fds 0-2
  bool stdin_open = false;  // without a terminal: keep fd 0; otherwise it reads /dev/null
  const char* cwd = "/";
  bool cwd_or_root = false;  // exec: "/" when cwd has gone since the container started
  uint64_t capabilities = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  const std::vector<gid_t>* groups = nullptr;
  SeccompFilter* seccomp = nullptr;  // empty or null: none
  bool no_new_privileges = false;
  // The container's exec gate (child_plan.h): one byte on armed_fd, then wait for one
  // on gate_fd (end of file: leave without exec). -1: no gate.
  int gate_fd = -1;
  int armed_fd = -1;
  std::vector<std::string>* args = nullptr;  // args->front() is the program
  std::vector<std::string>* env = nullptr;
};

[[noreturn]] void finish_process(const ProcessFinish& p) noexcept;

}  // namespace podlet::runtime
