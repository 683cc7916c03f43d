// A forked child process and its owner. The owner holds the child's pid and a pidfd
// (signals never reach a recycled pid). Unless the child was waited for, the owner
// kills it (SIGKILL) and reaps it when it goes out of scope -- an exception on the way
// out leaves neither a helper running nor a zombie behind.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include "base/fd.h"

namespace podlet {

class ChildProcess {
 public:
  ChildProcess() = default;
  // Takes over a child this process forked (pid > 0) and opens its pidfd. Throws
  // podlet::Error, the child killed and reaped, when no pidfd can be opened.
  explicit ChildProcess(pid_t pid);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { kill_and_reap(); }

  // Forks; the child runs `in_child`, which must leave with execve or _exit and never
  // throws (error.h: code after fork). One that returns leaves with 127, one that
  // throws aborts: neither comes back into the parent's code.
  template <typename F>
  static ChildProcess fork(F&& in_child);

  pid_t pid() const noexcept { return pid_; }
  int pidfd() const noexcept { return pidfd_.get(); }
  bool running() const noexcept { return pid_ > 0; }  // owned and not waited for yet

  // Sends `sig` through the pidfd: 0, or -errno (-ESRCH once it has exited).
  int kill(int sig) noexcept;
  // Blocks until the child exits and returns its wait status (waitpid's). Afterwards
  // the owner holds nothing. Throws podlet::Error when waitpid fails.
  int wait();

 private:
  template <typename F>
  [[noreturn]] static void run_child(F& in_child) noexcept {
    in_child();
    ::_exit(127);
  }
  static pid_t fork_pid();  // fork(2); throws podlet::Error
  void kill_and_reap() noexcept;

  pid_t pid_ = -1;
  UniqueFd pidfd_;
};

template <typename F>
ChildProcess ChildProcess::fork(F&& in_child) {
  pid_t pid = fork_pid();
  if (pid == 0) run_child(in_child);
  return ChildProcess(pid);
}

// A wait status as the shell reports it: the exit code, or 128 + the killing signal.
int exit_status(int wait_status) noexcept;

}  // namespace podlet
