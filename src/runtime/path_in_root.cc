#include "runtime/path_in_root.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "runtime/syscalls.h"

namespace podlet::runtime {

namespace {

constexpr uint64_t kResolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

std::vector<std::string_view> split_components(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty() && part != ".") parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

std::string join_prefix(const std::vector<std::string_view>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  return out.empty() ? std::string(".") : out;
}

// Creates `name` in dir_fd (no symlink following); EEXIST is fine.
int create_node(int dir_fd, const std::string& name, NodeKind kind) {
  if (kind == NodeKind::kDirectory) {
    if (::mkdirat(dir_fd, name.c_str(), 0755) < 0 && errno != EEXIST) return -errno;
    return 0;
  }
  int fd = ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return errno == EEXIST ? 0 : -errno;
  ::close(fd);
  return 0;
}

// The last component exists as a symlink that resolves to nothing: drop it.
bool remove_dangling_symlink(int dir_fd, const std::string& name) {
  struct stat st;
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode)) return false;
  return ::unlinkat(dir_fd, name.c_str(), 0) == 0;
}

}  // namespace

int open_in_root(int root_fd, std::string_view path, int flags, mode_t mode) noexcept {
  try {
    auto parts = split_components(path);
    std::string rel = join_prefix(parts, parts.size());
    int fd = sys::openat2(root_fd, rel.c_str(), static_cast<uint64_t>(flags | O_CLOEXEC), mode, kResolve);
    return fd < 0 ? -errno : fd;
  } catch (...) {
    return -ENOMEM;
  }
}

int ensure_in_root(int root_fd, std::string_view path, NodeKind kind) noexcept {
  try {
    auto parts = split_components(path);
    if (parts.empty()) {
      int fd = ::fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
      return fd < 0 ? -errno : fd;
    }
    for (size_t i = 1; i <= parts.size(); ++i) {
      std::string prefix = join_prefix(parts, i);
      const int flags = O_PATH | O_CLOEXEC;
      int fd = sys::openat2(root_fd, prefix.c_str(), flags, 0, kResolve);
      if (fd >= 0) {
        if (i == parts.size()) return fd;
        ::close(fd);
        continue;
      }
      if (errno != ENOENT) return -errno;
      // Create the missing component in its (root-resolved) parent, then retry.
      int parent = sys::openat2(root_fd, join_prefix(parts, i - 1).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
                                kResolve);
      if (parent < 0) return -errno;
      std::string name(parts[i - 1]);
      NodeKind node = i == parts.size() ? kind : NodeKind::kDirectory;
      int rc = create_node(parent, name, node);
      if (rc == 0) {
        fd = sys::openat2(root_fd, prefix.c_str(), flags, 0, kResolve);
        if (fd < 0 && errno == ENOENT && remove_dangling_symlink(parent, name)) {
          rc = create_node(parent, name, node);
          if (rc == 0) fd = sys::openat2(root_fd, prefix.c_str(), flags, 0, kResolve);
        }
      }
      int saved = errno;
      ::close(parent);
      if (rc < 0) return rc;
      if (fd < 0) return -saved;
      if (i == parts.size()) return fd;
      ::close(fd);
    }
    return -ENOENT;
  } catch (...) {
    return -ENOMEM;
  }
}

}  // namespace podlet::runtime
