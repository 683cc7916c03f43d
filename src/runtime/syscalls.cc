#include "runtime/syscalls.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace podlet::runtime::sys {

pid_t clone3_fork(uint64_t flags, int* pidfd) noexcept {
  clone_args args;
  std::memset(&args, 0, sizeof args);
  args.flags = flags;
  if (flags & CLONE_PIDFD) args.pidfd = reinterpret_cast<uint64_t>(pidfd);
  // With CLONE_PARENT the kernel requires exit_signal 0 (EINVAL otherwise) and
  // uses the caller's own exit signal towards the shared parent.
  args.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
  return static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
}

int openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve) noexcept {
  open_how how;
  std::memset(&how, 0, sizeof how);
  how.flags = flags;
  how.mode = mode;
  how.resolve = resolve;
  // EAGAIN: a concurrent rename or mount raced the lookup; retry a bounded number of
  // times so a hostile container cannot keep us spinning.
  long fd = -1;
  for (int attempt = 0; attempt < 64; ++attempt) {
    fd = ::syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    if (fd >= 0 || (errno != EINTR && errno != EAGAIN)) break;
  }
  return static_cast<int>(fd);
}

int pidfd_open(pid_t pid, unsigned flags) noexcept {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, flags));
}

int pidfd_send_signal(int pidfd, int sig) noexcept {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

int pivot_root(const char* new_root, const char* put_old) noexcept {
  return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}

}  // namespace podlet::runtime::sys
