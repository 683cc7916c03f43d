// Thin wrappers for the syscalls glibc 2.36 has no wrapper for (clone3, openat2).
// They follow the libc convention (-1 and errno) and never throw: they are used
// in the child after clone3 as well.
#pragma once

#include <linux/openat2.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/types.h>

#include <cstdint>

namespace podlet::runtime::sys {

// clone3(2) without a new stack: behaves like fork() in the child (returns 0).
pid_t clone3_fork(uint64_t flags, int* pidfd) noexcept;

int openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve) noexcept;

// glibc 2.36's <sys/pidfd.h> lacks C linkage for C++: call the syscalls directly.
int pidfd_open(pid_t pid, unsigned flags) noexcept;
int pidfd_send_signal(int pidfd, int sig) noexcept;

int pivot_root(const char* new_root, const char* put_old) noexcept;

}  // namespace podlet::runtime::sys
