#include "base/child_process.h"

#include <sys/syscall.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <string>
#include <utility>

#include "base/error.h"

namespace podlet {

namespace {

// glibc's pidfd wrappers lack C linkage for C++ (and base has no runtime/syscalls).
int open_pidfd(pid_t pid) noexcept {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// waitpid, retried on EINTR: the status, or -1 with errno.
int reap(pid_t pid, int* status) noexcept {
  int rc;
  do rc = ::waitpid(pid, status, 0);
  while (rc < 0 && errno == EINTR);
  return rc;
}

}  // namespace

ChildProcess::ChildProcess(pid_t pid) : pid_(pid) {
  // Our child cannot be recycled before we reap it: the pidfd names this very process.
  int fd = open_pidfd(pid);
  if (fd < 0) {
    int err = errno;
    ::kill(pid, SIGKILL);
    int status = 0;
    reap(pid, &status);
    pid_ = -1;
    throw system_error("pidfd_open of child " + std::to_string(pid), err);
  }
  pidfd_.reset(fd);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), pidfd_(std::move(other.pidfd_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::move(other.pidfd_);
  }
  return *this;
}

pid_t ChildProcess::fork_pid() {
  pid_t pid = ::fork();
  if (pid < 0) throw system_error("fork");
  return pid;
}

int ChildProcess::kill(int sig) noexcept {
  if (pid_ <= 0) return -ESRCH;
  return ::syscall(SYS_pidfd_send_signal, pidfd_.get(), sig, nullptr, 0) < 0 ? -errno : 0;
}

int ChildProcess::wait() {
  if (pid_ <= 0) fail("wait: no child process");
  int status = 0;
  int rc = reap(pid_, &status);
  int err = errno;
  pid_t pid = std::exchange(pid_, -1);
  pidfd_.reset();
  if (rc < 0) throw system_error("waitpid " + std::to_string(pid), err);
  return status;
}

void ChildProcess::kill_and_reap() noexcept {
  if (pid_ <= 0) return;
  kill(SIGKILL);
  int status = 0;
  reap(pid_, &status);
  pid_ = -1;
  pidfd_.reset();
}

int exit_status(int wait_status) noexcept {
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return WEXITSTATUS(wait_status);
}

}  // namespace podlet
