// Everything the container's child needs, computed by the parent before clone3 so
// the child only performs syscalls (it never throws, reports through error_fd and
// leaves with _exit; see child_report.h).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/container.h"
#include "runtime/identity.h"
#include "runtime/mount_ops.h"
#include "runtime/seccomp_filter.h"

namespace podlet::runtime {

struct PreparedMount {
  std::string type;  // bind | tmpfs | proc | sysfs | mqueue | devpts
  std::string source;
  std::string sub_path;
  std::string destination;
  MountOptions options;
  bool recursive = true;
  uint64_t propagation = 0;
  bool propagation_recursive = true;
  bool is_file = false;
  int shared_tree = -1;  // Bidirectional: the source cloned while still the host's peer
};

struct ChildPlan {
  std::string name;
  int error_fd = -1;
  // Read end of the exec gate: the child waits for one byte on it right before exec, so
  // the parent can first make the child the unit's main process (see launch_container).
  int gate_fd = -1;
  // Write end of "armed": one byte once every setup step passed and the child waits at
  // the gate. A child that fails before (and exits) stays the entrypoint's business.
  int armed_fd = -1;
  int infra_pidfd = -1;
  int join_flags = 0;  // CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC joined in the child

  std::string rootfs;  // where the overlay is mounted (in the private mount namespace)
  std::string overlay_lower;
  std::string overlay_upper;
  std::string overlay_work;
  bool read_only_root = false;
  std::string dev_shm;
  std::vector<PreparedMount> mounts;
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  bool sysfs_read_only = true;
  std::vector<plan::DeviceSpec> devices;  // validated: directly below /dev

  IdentityRequest identity;
  bool run_as_non_root = false;
  uint64_t capabilities = 0;
  SeccompFilter seccomp;
  bool no_new_privileges = false;

  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd = "/";
  bool stdin_open = false;
  // tty: the workload's fds 0-2 are a pty of the container's devpts (tty.h) and the
  // master is sent back to the entrypoint over terminal_socket (tty_relay.h).
  bool tty = false;
  int terminal_socket = -1;
};

// The child's whole life: namespaces, root, identity, exec. Never returns.
[[noreturn]] void run_container_child(ChildPlan& plan) noexcept;

// Root assembly steps, used by run_container_child. On failure they report through
// plan.error_fd and _exit.
int mount_overlay_root(const ChildPlan& plan) noexcept;  // returns an O_PATH fd of the new root
void mount_kernel_filesystems(const ChildPlan& plan, int root_fd) noexcept;  // /proc, /dev, /sys
void setup_devices(const ChildPlan& plan, int root_fd) noexcept;
void clone_shared_sources(ChildPlan& plan) noexcept;  // before / is made rslave
void mount_spec_mounts(const ChildPlan& plan, int root_fd) noexcept;
void apply_masks(const ChildPlan& plan, int root_fd) noexcept;
void enter_root(const ChildPlan& plan, int root_fd) noexcept;  // pivot_root, old root detached

// Reports `rc` (< 0: -errno) as the failed step and exits.
void require(const ChildPlan& plan, int rc, const char* step, const std::string& detail = "") noexcept;

}  // namespace podlet::runtime
