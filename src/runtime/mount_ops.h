// Mounting through file descriptors with the new mount API (fsopen/fsmount,
// open_tree, move_mount, mount_setattr): targets are O_PATH fds resolved inside
// the container root, so no path is looked up again after it was checked.
// noexcept, 0 or -errno: used in the child after clone3.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace podlet::runtime {

// Splits mount option words into mount attributes (ro, nosuid, nodev, noexec,
// noatime, ...) and filesystem data options (size=64m, mode=1777, newinstance).
struct MountOptions {
  uint64_t attr_set = 0;
  uint64_t attr_clr = 0;
  std::vector<std::string> data;
};
MountOptions parse_mount_options(const std::vector<std::string>& words);

// A fresh filesystem of `fstype` configured with `data` (key=value or flag words),
// mounted on target_fd.
int mount_fs_on(const char* fstype, const char* source, const std::vector<std::string>& data, uint64_t attrs,
                int target_fd) noexcept;

// A bind mount of (source_dirfd, source_path) on target_fd; source_path "" binds
// source_dirfd itself. `attrs` (e.g. MOUNT_ATTR_RDONLY) apply to the whole tree.
int bind_on(int source_dirfd, const char* source_path, bool recursive, uint64_t attrs, int target_fd) noexcept;

// Attaches a detached mount tree (an open_tree clone, consumed) on target_fd, with `attrs`.
int attach_tree(int tree, uint64_t attrs, bool recursive, int target_fd) noexcept;

// mount_setattr on the mount whose root fd refers to.
int set_mount_attrs(int fd, uint64_t set, uint64_t clr, uint64_t propagation, bool recursive) noexcept;

// propagation names (rprivate, rslave, rshared, private, slave, shared) -> MS_* and
// whether they are recursive; false for an unknown name.
bool parse_propagation(const std::string& name, uint64_t& propagation, bool& recursive);

// The kernel's last message about a failed fsconfig/fsmount ("overlay: ..."), or "".
const char* last_fs_message() noexcept;

}  // namespace podlet::runtime
