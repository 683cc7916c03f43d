#include "runtime/mount_ops.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace podlet::runtime {

namespace {

char g_fs_message[512];

// The fs context fd carries the kernel's error messages ("e overlay: ...").
void capture_fs_message(int fs_fd) {
  ssize_t n = ::read(fs_fd, g_fs_message, sizeof g_fs_message - 1);
  g_fs_message[n > 0 ? n : 0] = '\0';
  if (n > 0 && g_fs_message[n - 1] == '\n') g_fs_message[n - 1] = '\0';
}

int close_keep_errno(int fd, int result) {
  int saved = errno;
  ::close(fd);
  errno = saved;
  return result;
}

int attach(int mount_fd, int target_fd) {
  if (::move_mount(mount_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return close_keep_errno(mount_fd, -errno);
  ::close(mount_fd);
  return 0;
}

}  // namespace

MountOptions parse_mount_options(const std::vector<std::string>& words) {
  static const std::pair<const char*, uint64_t> kSet[] = {
      {"ro", MOUNT_ATTR_RDONLY},        {"nosuid", MOUNT_ATTR_NOSUID},       {"nodev", MOUNT_ATTR_NODEV},
      {"noexec", MOUNT_ATTR_NOEXEC},    {"noatime", MOUNT_ATTR_NOATIME},     {"nodiratime", MOUNT_ATTR_NODIRATIME},
      {"strictatime", MOUNT_ATTR_STRICTATIME}, {"nosymfollow", MOUNT_ATTR_NOSYMFOLLOW}};
  static const std::pair<const char*, uint64_t> kClear[] = {
      {"rw", MOUNT_ATTR_RDONLY}, {"suid", MOUNT_ATTR_NOSUID}, {"dev", MOUNT_ATTR_NODEV}, {"exec", MOUNT_ATTR_NOEXEC}};
  MountOptions out;
  for (const auto& word : words) {
    bool known = false;
    for (const auto& [name, attr] : kSet)
      if (word == name) out.attr_set |= attr, out.attr_clr &= ~attr, known = true;
    for (const auto& [name, attr] : kClear)
      if (word == name) out.attr_clr |= attr, out.attr_set &= ~attr, known = true;
    if (word == "relatime" || word == "bind" || word == "rbind") known = true;
    if (!known) out.data.push_back(word);
  }
  return out;
}

int mount_fs_on(const char* fstype, const char* source, const std::vector<std::string>& data, uint64_t attrs,
                int target_fd) noexcept {
  g_fs_message[0] = '\0';
  int fs = ::fsopen(fstype, FSOPEN_CLOEXEC);
  if (fs < 0) return -errno;
  if (source && *source && ::fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
    capture_fs_message(fs);
    return close_keep_errno(fs, -errno);
  }
  for (const auto& option : data) {
    size_t eq = option.find('=');
    int rc;
    if (eq == std::string::npos) {
      rc = ::fsconfig(fs, FSCONFIG_SET_FLAG, option.c_str(), nullptr, 0);
    } else {
      std::string key = option.substr(0, eq);
      rc = ::fsconfig(fs, FSCONFIG_SET_STRING, key.c_str(), option.c_str() + eq + 1, 0);
    }
    if (rc < 0) {
      capture_fs_message(fs);
      return close_keep_errno(fs, -errno);
    }
  }
  if (::fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) {
    capture_fs_message(fs);
    return close_keep_errno(fs, -errno);
  }
  int mnt = ::fsmount(fs, FSMOUNT_CLOEXEC, static_cast<unsigned>(attrs));
  if (mnt < 0) {
    capture_fs_message(fs);
    return close_keep_errno(fs, -errno);
  }
  ::close(fs);
  return attach(mnt, target_fd);
}

int bind_on(int source_dirfd, const char* source_path, bool recursive, uint64_t attrs, int target_fd) noexcept {
  unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW;
  if (recursive) flags |= AT_RECURSIVE;
  if (!source_path || !*source_path) flags |= AT_EMPTY_PATH;
  int tree = ::open_tree(source_dirfd, source_path ? source_path : "", flags);
  if (tree < 0) return -errno;
  return attach_tree(tree, attrs, recursive, target_fd);
}

int attach_tree(int tree, uint64_t attrs, bool recursive, int target_fd) noexcept {
  if (attrs) {
    mount_attr attr{};
    attr.attr_set = attrs;
    if (::mount_setattr(tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr) < 0)
      return close_keep_errno(tree, -errno);
  }
  return attach(tree, target_fd);
}

int set_mount_attrs(int fd, uint64_t set, uint64_t clr, uint64_t propagation, bool recursive) noexcept {
  mount_attr attr{};
  attr.attr_set = set;
  attr.attr_clr = clr;
  attr.propagation = propagation;
  if (::mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr) < 0) return -errno;
  return 0;
}

bool parse_propagation(const std::string& name, uint64_t& propagation, bool& recursive) {
  static const std::pair<const char*, uint64_t> kModes[] = {
      {"private", MS_PRIVATE}, {"slave", MS_SLAVE}, {"shared", MS_SHARED}};
  for (const auto& [mode, flag] : kModes) {
    if (name == mode || name == std::string("r") + mode) {
      propagation = flag;
      recursive = name[0] == 'r';
      return true;
    }
  }
  return false;
}

const char* last_fs_message() noexcept { return g_fs_message; }

}  // namespace podlet::runtime
