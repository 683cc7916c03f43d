// The workload's seccomp filter, built in the parent (where errors may throw) and
// loaded by the child just before exec.
//   runtime-default: modelled on the container runtimes' default profile: every
//     syscall is allowed except the ones that reach kernel-wide state (modules,
//     keyrings, bpf, perf, kexec, reboot, clock, swap, ...), those that need a
//     capability the container lacks (mount and namespace calls without
//     CAP_SYS_ADMIN, chroot without CAP_SYS_CHROOT, ...), TIOCSTI, and clone3
//     (ENOSYS, so libc falls back to clone whose flags can be checked).
//   unconfined: no filter.
//   localhost: an OCI/Docker seccomp JSON profile.
#pragma once

#include <cstdint>
#include <string>

#include "plan/runtime_spec.h"

namespace podlet::runtime {

class SeccompFilter {
 public:
  SeccompFilter() = default;
  explicit SeccompFilter(void* ctx) : ctx_(ctx) {}
  SeccompFilter(SeccompFilter&& other) noexcept : ctx_(other.ctx_) { other.ctx_ = nullptr; }
  SeccompFilter& operator=(SeccompFilter&& other) noexcept;
  SeccompFilter(const SeccompFilter&) = delete;
  SeccompFilter& operator=(const SeccompFilter&) = delete;
  ~SeccompFilter();

  bool empty() const { return ctx_ == nullptr; }
  // Loads the filter into the calling process: 0 or -errno. Does not set
  // no_new_privs itself (the caller decides), so it needs CAP_SYS_ADMIN unless
  // no_new_privs is already set.
  int load() noexcept;

 private:
  void* ctx_ = nullptr;  // scmp_filter_ctx
};

// `capabilities` is the workload's capability set (bits by number): calls that the
// default profile grants to a capability stay allowed when the container holds it.
// Throws podlet::Error for an unreadable or invalid localhost profile.
SeccompFilter build_seccomp_filter(const plan::SeccompSpec& spec, uint64_t capabilities);

}  // namespace podlet::runtime
