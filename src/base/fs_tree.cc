#include "base/fs_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "base/directory.h"
#include "base/error.h"
#include "base/fd.h"

namespace podlet {

namespace {

std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Whether `name` in dir_fd is the root of a mount other than `dev`'s: another device,
// or a bind mount of the same file system (which only the mount-root flag shows).
bool is_other_mount(const struct statx& stx, dev_t dev) {
  if (::makedev(stx.stx_dev_major, stx.stx_dev_minor) != dev) return true;
  return (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

// Empties the directory open as dir_fd (which is consumed), staying on device `dev`.
void empty_directory(UniqueFd dir_fd, dev_t dev, const std::string& display) {
  for (const auto& name : directory_entries(dir_fd.get(), display)) {
    std::string child = display + "/" + name;
    struct statx stx;
    if (::statx(dir_fd.get(), name.c_str(), AT_SYMLINK_NOFOLLOW, STATX_TYPE, &stx) < 0) {
      if (errno == ENOENT) continue;
      throw system_error("stat " + child);
    }
    if (S_ISDIR(stx.stx_mode)) {
      if (is_other_mount(stx, dev)) throw Error("remove " + child + ": a mount point is in the way");
      int sub = ::openat(dir_fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) throw system_error("open " + child);
      empty_directory(UniqueFd(sub), dev, child);
      if (::unlinkat(dir_fd.get(), name.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT)
        throw system_error("rmdir " + child);
    } else if (::unlinkat(dir_fd.get(), name.c_str(), 0) < 0 && errno != ENOENT) {
      throw system_error("unlink " + child);
    }
  }
}

}  // namespace

void make_dirs(const std::string& path, mode_t mode) {
  if (path.empty()) return;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw Error("mkdir " + path + ": exists and is not a directory");
    return;
  }
  std::string parent = parent_of(path);
  if (parent != path && parent != "/" && parent != ".") make_dirs(parent, 0755);
  if (::mkdir(path.c_str(), mode) < 0 && errno != EEXIST) throw system_error("mkdir " + path);
}

void remove_tree(const std::string& path) {
  if (path.empty() || path == "/") throw Error("remove_tree: refusing to remove '" + path + "'");
  std::string parent = parent_of(path);
  std::string name = path.substr(path.find_last_of('/') + 1);
  int parent_fd = ::open(parent.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd < 0) {
    if (errno == ENOENT) return;
    throw system_error("open " + parent);
  }
  UniqueFd parent_guard(parent_fd);
  struct stat st;
  if (::fstatat(parent_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
    if (errno == ENOENT) return;
    throw system_error("stat " + path);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlinkat(parent_fd, name.c_str(), 0) < 0 && errno != ENOENT) throw system_error("unlink " + path);
    return;
  }
  int dir = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir < 0) throw system_error("open " + path);
  empty_directory(UniqueFd(dir), st.st_dev, path);
  if (::unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT)
    throw system_error("rmdir " + path);
}

void remove_file(const std::string& path) {
  if (::unlink(path.c_str()) < 0 && errno != ENOENT) throw system_error("unlink " + path);
}

}  // namespace podlet
