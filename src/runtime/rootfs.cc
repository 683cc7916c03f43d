// The container's root: overlayfs, kernel filesystems, the spec's mounts, masked
// and read-only paths, pivot_root. Every destination is resolved inside the root
// (path_in_root.h) and mounted through fds, so an image whose /proc, /etc/hosts or
// a volume's mount point is a symlink cannot make podlet touch the host.
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/child_plan.h"
#include "runtime/child_report.h"
#include "runtime/path_in_root.h"
#include "runtime/syscalls.h"

namespace podlet::runtime {

namespace {

constexpr uint64_t kNoSuidDevExec = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

int ensure(const ChildPlan& plan, int root_fd, const std::string& path, NodeKind kind) {
  int fd = ensure_in_root(root_fd, path, kind);
  require(plan, fd, "create mount point", path);
  return fd;
}

void mount_fresh(const ChildPlan& plan, int root_fd, const char* type, const std::string& destination,
                 const std::vector<std::string>& data, uint64_t attrs) {
  Fd target{ensure(plan, root_fd, destination, NodeKind::kDirectory)};
  int rc = mount_fs_on(type, type, data, attrs, target.fd);
  require(plan, rc, "mount", std::string(type) + " on " + destination + " " + last_fs_message());
}

// Mounts may not be placed on the kernel's own filesystems: a destination that
// resolves into /proc or /sys (say through an image symlink) is refused.
void refuse_kernel_fs(const ChildPlan& plan, int fd, const std::string& destination) {
  struct statfs fs;
  if (::fstatfs(fd, &fs) < 0) require(plan, -errno, "statfs", destination);
  if (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC)
    require(plan, -EPERM, "mount destination", destination + " resolves into /proc or /sys");
}

// The mount's source (its subPath resolved inside the volume: a link planted there
// cannot point out) as a detached clone.
int clone_source(const ChildPlan& plan, const PreparedMount& m) noexcept {
  Fd source{::open(m.source.c_str(), O_PATH | O_CLOEXEC)};
  require(plan, source.fd < 0 ? -errno : 0, "open mount source", m.source);
  Fd sub{-1};
  if (!m.sub_path.empty()) {
    sub.fd = ensure_in_root(source.fd, m.sub_path, NodeKind::kDirectory);
    require(plan, sub.fd, "open subPath", m.sub_path + " of " + m.source);
  }
  unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | (m.recursive ? AT_RECURSIVE : 0);
  int tree = ::open_tree(sub.fd >= 0 ? sub.fd : source.fd, "", flags);
  require(plan, tree < 0 ? -errno : 0, "clone mount source", m.source);
  return tree;
}

void mount_bind(const ChildPlan& plan, int root_fd, const PreparedMount& m) {
  int tree = m.shared_tree >= 0 ? m.shared_tree : clone_source(plan, m);
  struct stat st;
  require(plan, ::fstat(tree, &st) < 0 ? -errno : 0, "stat mount source", m.source);
  Fd target{
      ensure(plan, root_fd, m.destination, S_ISDIR(st.st_mode) ? NodeKind::kDirectory : NodeKind::kFile)};
  refuse_kernel_fs(plan, target.fd, m.destination);
  require(plan, attach_tree(tree, m.options.attr_set, m.recursive, target.fd), "bind mount",
          m.source + " on " + m.destination);
}

}  // namespace

// mountPropagation Bidirectional (rshared): a clone of the source taken once / is
// rslave would only be a slave of the host's mount, so the container's mounts would
// not reach the host. Taken here first, it stays in the host mount's peer group.
void clone_shared_sources(ChildPlan& plan) noexcept {
  for (auto& m : plan.mounts)
    if (m.type == "bind" && m.propagation == MS_SHARED) m.shared_tree = clone_source(plan, m);
}

void require(const ChildPlan& plan, int rc, const char* step, const std::string& detail) noexcept {
  if (rc < 0) child_fail(plan.error_fd, step, detail, -rc, kExitSetupFailed);
}

int mount_overlay_root(const ChildPlan& plan) noexcept {
  Fd target{::open(plan.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)};
  require(plan, target.fd < 0 ? -errno : 0, "open rootfs mount point", plan.rootfs);
  std::vector<std::string> data = {"lowerdir=" + plan.overlay_lower, "upperdir=" + plan.overlay_upper,
                                   "workdir=" + plan.overlay_work};
  int rc = mount_fs_on("overlay", "overlay", data, 0, target.fd);
  require(plan, rc, "mount overlay root", last_fs_message());
  int root = ::open(plan.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  require(plan, root < 0 ? -errno : 0, "open root", plan.rootfs);
  return root;
}

void mount_kernel_filesystems(const ChildPlan& plan, int root_fd) noexcept {
  mount_fresh(plan, root_fd, "proc", "/proc", {}, kNoSuidDevExec);
  mount_fresh(plan, root_fd, "tmpfs", "/dev", {"mode=755", "size=65536k"},
              MOUNT_ATTR_NOSUID | MOUNT_ATTR_STRICTATIME);
  setup_devices(plan, root_fd);
  uint64_t sys_attrs = kNoSuidDevExec | (plan.sysfs_read_only ? MOUNT_ATTR_RDONLY : 0);
  mount_fresh(plan, root_fd, "sysfs", "/sys", {}, sys_attrs);
}

void mount_spec_mounts(const ChildPlan& plan, int root_fd) noexcept {
  for (const auto& m : plan.mounts) {
    if (m.type == "bind") {
      mount_bind(plan, root_fd, m);
    } else {
      Fd target{ensure(plan, root_fd, m.destination, NodeKind::kDirectory)};
      refuse_kernel_fs(plan, target.fd, m.destination);
      int rc = mount_fs_on(m.type.c_str(), m.source.empty() ? m.type.c_str() : m.source.c_str(),
                           m.options.data, m.options.attr_set, target.fd);
      require(plan, rc, "mount", m.type + " on " + m.destination + " " + last_fs_message());
    }
    if (m.propagation) {
      // The new mount is on top now: reopen the destination to reach it.
      Fd top{open_in_root(root_fd, m.destination, O_PATH)};
      require(plan, top.fd, "open mount", m.destination);
      require(plan, set_mount_attrs(top.fd, 0, 0, m.propagation, m.propagation_recursive), "set propagation",
              m.destination);
    }
  }
}

void apply_masks(const ChildPlan& plan, int root_fd) noexcept {
  for (const auto& path : plan.masked_paths) {
    Fd fd{open_in_root(root_fd, path, O_PATH | O_NOFOLLOW)};
    if (fd.fd == -ENOENT || fd.fd == -ENOTDIR) continue;
    require(plan, fd.fd, "open masked path", path);
    struct stat st;
    require(plan, ::fstat(fd.fd, &st) < 0 ? -errno : 0, "stat masked path", path);
    int rc = S_ISDIR(st.st_mode) ? mount_fs_on("tmpfs", "tmpfs", {"size=4k", "nr_inodes=1"},
                                               MOUNT_ATTR_RDONLY | kNoSuidDevExec, fd.fd)
                                 : bind_on(AT_FDCWD, "/dev/null", false, MOUNT_ATTR_RDONLY, fd.fd);
    require(plan, rc, "mask", path);
  }
  for (const auto& path : plan.readonly_paths) {
    Fd fd{open_in_root(root_fd, path, O_PATH | O_NOFOLLOW)};
    if (fd.fd == -ENOENT || fd.fd == -ENOTDIR) continue;
    require(plan, fd.fd, "open read-only path", path);
    require(plan, bind_on(fd.fd, "", true, MOUNT_ATTR_RDONLY | kNoSuidDevExec, fd.fd), "make read-only",
            path);
  }
}

void enter_root(const ChildPlan& plan, int root_fd) noexcept {
  if (plan.read_only_root)
    require(plan, set_mount_attrs(root_fd, MOUNT_ATTR_RDONLY, 0, 0, false), "make root read-only");
  require(plan, ::fchdir(root_fd) < 0 ? -errno : 0, "chdir to root");
  // pivot_root(".", "."): the old root ends up stacked on the new one and is then
  // detached, so nothing of the host stays reachable.
  require(plan, sys::pivot_root(".", ".") < 0 ? -errno : 0, "pivot_root");
  require(plan, ::umount2(".", MNT_DETACH) < 0 ? -errno : 0, "detach old root");
  require(plan, ::chdir("/") < 0 ? -errno : 0, "chdir /");
}

}  // namespace podlet::runtime
