#include "base/unmount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <vector>

#include "base/error.h"
#include "base/fd.h"

namespace podlet {

namespace {

constexpr int kMaxStacked = 64;

bool fd_is_mount_root(int fd) {
  struct statx stx;
  if (::statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) < 0) return false;
  return (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

// mountinfo writes space, tab, newline and backslash as \ooo.
std::string unescape_mountinfo(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      int value = 0;
      bool octal = true;
      for (size_t k = 1; k <= 3; ++k) {
        if (s[i + k] < '0' || s[i + k] > '7') octal = false;
        value = value * 8 + (s[i + k] - '0');
      }
      if (octal) {
        out.push_back(static_cast<char>(value));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Mount points strictly below `dir` (as this mount namespace names it), relative
// to it, deepest first, each once.
std::vector<std::string> mount_points_below(const std::string& dir) {
  std::ifstream in("/proc/self/mountinfo");
  if (!in) throw Error("read /proc/self/mountinfo: cannot open");
  std::string prefix = dir == "/" ? "/" : dir + "/";
  std::vector<std::string> found;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string id, parent, devno, root, mount_point;
    words >> id >> parent >> devno >> root >> mount_point;
    mount_point = unescape_mountinfo(mount_point);
    if (mount_point.size() > prefix.size() && mount_point.starts_with(prefix))
      found.push_back(mount_point.substr(prefix.size()));
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

// Opens `relative` below the directory open as root_fd, refusing symlinks on the
// way and at the end; an invalid fd when it is not there (any more).
UniqueFd open_below(int root_fd, const std::string& relative) {
  UniqueFd current(::fcntl(root_fd, F_DUPFD_CLOEXEC, 3));
  size_t start = 0;
  while (current && start <= relative.size()) {
    size_t slash = relative.find('/', start);
    bool last = slash == std::string::npos;
    std::string name = relative.substr(start, last ? std::string::npos : slash - start);
    int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC | (last ? 0 : O_DIRECTORY);
    if (name.empty() || name == "." || name == "..") return UniqueFd();
    current = UniqueFd(::openat(current.get(), name.c_str(), flags));
    if (last) break;
    start = slash + 1;
  }
  return current;
}

// Unmounts every mount stacked on what `open` reaches (it is opened again after each
// unmount: the fd stays on the mount it was opened through).
template <typename Open>
int unmount_stack(Open&& open, const std::string& display) {
  int count = 0;
  for (UniqueFd fd = open(); fd && fd_is_mount_root(fd.get()); fd = open()) {
    std::string through_fd = "/proc/self/fd/" + std::to_string(fd.get());
    if (::umount2(through_fd.c_str(), MNT_DETACH) < 0) {
      if (errno == EINVAL || errno == ENOENT) break;
      throw system_error("umount " + display);
    }
    if (++count > kMaxStacked) throw Error("umount " + display + ": still mounted after 64 unmounts");
  }
  return count;
}

}  // namespace

bool is_mount_point(const std::string& path) {
  struct statx stx;
  if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) < 0) return false;
  return (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

int unmount_below(const std::string& path) {
  auto open_path = [&] { return UniqueFd(::open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC)); };
  UniqueFd root = open_path();
  if (!root) {
    if (errno == ENOENT) return 0;
    throw system_error("open " + path);
  }
  int count = 0;
  struct stat st;
  if (::fstat(root.get(), &st) == 0 && S_ISDIR(st.st_mode)) {
    // The name mountinfo uses for `path` (symlinks above it resolved).
    char name[4096];
    std::string through_fd = "/proc/self/fd/" + std::to_string(root.get());
    ssize_t n = ::readlink(through_fd.c_str(), name, sizeof name);
    if (n < 0) throw system_error("resolve " + path);
    for (const auto& below : mount_points_below(std::string(name, static_cast<size_t>(n))))
      count += unmount_stack([&] { return open_below(root.get(), below); }, path + "/" + below);
  }
  root.reset();
  return count + unmount_stack(open_path, path);
}

}  // namespace podlet
