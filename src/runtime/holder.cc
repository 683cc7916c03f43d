#include "runtime/holder.h"

#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

// The holder's binary, built by src/runtime/CMakeLists.txt, inside podlet's own.
asm(R"(
  .section .rodata
  .balign 16
  .global podlet_holder_image
  .hidden podlet_holder_image
podlet_holder_image:
  .incbin ")" PODLET_HOLDER_PATH R"("
  .global podlet_holder_image_end
  .hidden podlet_holder_image_end
podlet_holder_image_end:
  .previous
)");

extern "C" const char podlet_holder_image[];
extern "C" const char podlet_holder_image_end[];

namespace podlet::runtime {

namespace {

// An empty, read-only root in a mount namespace of its own: the holder's
// /proc/PID/root and cwd lead nowhere. Otherwise a container sharing the pod's
// pid namespace with CAP_SYS_PTRACE reaches the host's root through them.
int enter_empty_root() noexcept {
  if (::unshare(CLONE_NEWNS) < 0) return -errno;
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) return -errno;
  int fs = ::fsopen("tmpfs", FSOPEN_CLOEXEC);
  if (fs < 0) return -errno;
  int mnt = -1;
  if (::fsconfig(fs, FSCONFIG_SET_STRING, "size", "4k", 0) == 0 &&
      ::fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) == 0)
    mnt = ::fsmount(fs, FSMOUNT_CLOEXEC,
                    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  int err = errno;
  ::close(fs);
  if (mnt < 0) return -err;
  int rc = 0;
  if (::move_mount(mnt, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0 || ::fchdir(mnt) < 0 ||
      ::syscall(SYS_pivot_root, ".", ".") < 0 || ::umount2(".", MNT_DETACH) < 0 || ::chdir("/") < 0)
    rc = -errno;
  ::close(mnt);
  return rc;
}

// What a container gains by ptracing the holder (shareProcessNamespace and
// CAP_SYS_PTRACE; tests/machine/e2e/holder_ptrace.sh): it may read and write the
// holder's memory and make it run any code, as the holder. The holder then is
//   - uid/gid 0 with no capability at all (effective, permitted, inheritable, ambient
//     and bounding sets empty: holder.c) and no_new_privs: an exec cannot give any back;
//   - in the pod's net/uts/ipc/pid namespaces (the container's own) and the host's
//     user and cgroup namespaces, where uid 0 without capabilities may do nothing a
//     container's root cannot;
//   - in a mount namespace of its own whose only mount is an empty read-only tmpfs
//     (root and cwd): /proc/1/root, /proc/1/cwd and /proc/1/mountinfo show nothing
//     of the host;
//   - without open fds (holder.c closes all, stdio included: the unit's journal
//     stream would otherwise let a container log as the infra);
//   - confined by the seccomp allowlist below, which also keeps it from the kernel's
//     non-namespaced state (root's keyrings, which the container's own filter denies)
//     and from user namespaces, new mounts or opening anything.
// So such a container gains nothing it does not have already; the tests assert it.
//
// The holder's only syscalls: static glibc's start-up, holder.c's own, exit. Anything
// else fails with EPERM.
void confine_holder() noexcept {
  static const char* const kAllowed[] = {"execveat",
                                         "arch_prctl",
                                         "brk",
                                         "mmap",
                                         "munmap",
                                         "mprotect",
                                         "readlink",
                                         "readlinkat",
                                         "getrandom",
                                         "prlimit64",
                                         "rseq",
                                         "set_robust_list",
                                         "set_tid_address",
                                         "rt_sigprocmask",
                                         "rt_sigtimedwait",
                                         "rt_sigreturn",
                                         "prctl",
                                         "capget",
                                         "capset",
                                         "close_range",
                                         "close",
                                         "wait4",
                                         "waitid",
                                         "exit",
                                         "exit_group"};
  scmp_filter_ctx ctx = ::seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (!ctx) return;
  int rc = 0;
  for (const char* name : kAllowed) {
    int nr = ::seccomp_syscall_resolve_name(name);
    if (nr != __NR_SCMP_ERROR && (rc = ::seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) < 0) break;
  }
  if (rc == 0 && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0) ::seccomp_load(ctx);
  ::seccomp_release(ctx);
}

}  // namespace

int exec_holder() noexcept {
  int fd = ::memfd_create("podlet-infra", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return -errno;
  const char* data = podlet_holder_image;
  size_t left = static_cast<size_t>(podlet_holder_image_end - podlet_holder_image);
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      ::close(fd);
      return -err;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  // Nothing can change the running holder's code, not even through /proc/PID/exe.
  if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
    int err = errno;
    ::close(fd);
    return -err;
  }
  enter_empty_root();  // hardening: the holder runs from the memfd, it needs no files
  confine_holder();    // hardening as well: best effort, as the empty root
  char name[] = "podlet-infra";
  char* argv[] = {name, nullptr};
  char* envp[] = {nullptr};
  ::syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
  int err = errno;
  ::close(fd);
  return -err;
}

}  // namespace podlet::runtime
