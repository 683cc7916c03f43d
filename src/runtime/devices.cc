// /dev of a container: a tmpfs with the spec's device nodes,
// the usual links, a private devpts instance, the pod's shared /dev/shm and mqueue.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/child_plan.h"
#include "runtime/path_in_root.h"

namespace podlet::runtime {

namespace {

constexpr std::pair<const char*, const char*> kLinks[] = {
    {"fd", "/proc/self/fd"},       {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"}, {"ptmx", "pts/ptmx"},         {"core", "/proc/kcore"}};

// mknod, or (where mknod is not allowed, e.g. in a user namespace) a bind mount of
// the host's node.
void make_device(const ChildPlan& plan, int root_fd, int dev_fd, const plan::DeviceSpec& d) {
  std::string name = d.path.substr(sizeof "/dev/" - 1);
  mode_t type = d.type == "b" ? S_IFBLK : S_IFCHR;
  if (::mknodat(dev_fd, name.c_str(), type | d.mode, makedev(d.major, d.minor)) == 0) {
    require(plan, ::fchmodat(dev_fd, name.c_str(), d.mode, 0) < 0 ? -errno : 0, "chmod", d.path);
    return;
  }
  if (errno != EPERM) require(plan, -errno, "mknod", d.path);
  int target = ensure_in_root(root_fd, d.path, NodeKind::kFile);
  require(plan, target, "create", d.path);
  int rc = bind_on(AT_FDCWD, d.path.c_str(), false, 0, target);
  ::close(target);
  require(plan, rc, "bind", d.path);
}

int open_dir(const ChildPlan& plan, int root_fd, const char* path) {
  int fd = ensure_in_root(root_fd, path, NodeKind::kDirectory);
  require(plan, fd, "create", path);
  return fd;
}

}  // namespace

void setup_devices(const ChildPlan& plan, int root_fd) noexcept {
  int dev = open_in_root(root_fd, "/dev", O_RDONLY | O_DIRECTORY);
  require(plan, dev, "open /dev");
  for (const auto& d : plan.devices) make_device(plan, root_fd, dev, d);
  for (const auto& [name, target] : kLinks)
    if (::symlinkat(target, dev, name) < 0 && errno != EEXIST) require(plan, -errno, "symlink /dev/", name);
  ::close(dev);

  int pts = open_dir(plan, root_fd, "/dev/pts");
  require(plan,
          mount_fs_on("devpts", "devpts", {"newinstance", "ptmxmode=0666", "mode=0620", "gid=5"},
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, pts),
          "mount devpts on /dev/pts", last_fs_message());
  ::close(pts);

  int shm = open_dir(plan, root_fd, "/dev/shm");
  constexpr uint64_t kShmAttrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
  if (!plan.dev_shm.empty()) {
    require(plan, bind_on(AT_FDCWD, plan.dev_shm.c_str(), false, kShmAttrs, shm), "bind the pod's /dev/shm",
            plan.dev_shm);
  } else {
    require(plan, mount_fs_on("tmpfs", "shm", {"mode=1777", "size=65536k"}, kShmAttrs, shm),
            "mount /dev/shm");
  }
  ::close(shm);

  int mqueue = open_dir(plan, root_fd, "/dev/mqueue");
  require(plan, mount_fs_on("mqueue", "mqueue", {}, kShmAttrs, mqueue), "mount /dev/mqueue");
  ::close(mqueue);
}

}  // namespace podlet::runtime
