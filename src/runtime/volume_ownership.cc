#include "runtime/volume_ownership.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/directory.h"
#include "base/error.h"
#include "base/fd.h"

namespace podlet::runtime {

namespace {

constexpr mode_t kReadWrite = 0660;
constexpr mode_t kReadOnly = 0440;
constexpr mode_t kSearch = 0110;

struct Entry {
  mode_t mode;  // with type bits
  uint64_t mnt_id;
};

Entry stat_fd(int fd, const std::string& display) {
  struct statx stx;
  if (::statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MODE | STATX_MNT_ID, &stx) < 0)
    throw system_error("stat " + display);
  if (!(stx.stx_mask & STATX_MNT_ID)) throw Error("stat " + display + ": the kernel reports no mount id");
  return Entry{static_cast<mode_t>(stx.stx_mode), stx.stx_mnt_id};
}

// Changes the entry open as fd (O_PATH, or a directory): the group always, the mode
// unless it is a symlink (a link's mode means nothing; chmod would reach its target).
// The mode is computed from before the chown, as the kubelet does.
void change(int fd, const Entry& e, const plan::VolumeOwnership& o, const std::string& display) {
  if (::fchownat(fd, "", static_cast<uid_t>(-1), o.gid, AT_EMPTY_PATH) < 0)
    throw system_error("chown " + display);
  if (S_ISLNK(e.mode)) return;
  // chmod has no AT_EMPTY_PATH before Linux 6.6: the fd's /proc link names this very
  // inode (never a path looked up again).
  std::string self = "/proc/self/fd/" + std::to_string(fd);
  if (::chmod(self.c_str(), owned_mode(e.mode, o.read_only) & 07777) < 0)
    throw system_error("chmod " + display);
}

class Walk {
 public:
  Walk(const plan::VolumeOwnership& o, uint64_t mnt_id) : o_(o), mnt_id_(mnt_id) {}

  // Children first, then the directory itself (an interrupted walk leaves the root
  // unchanged, so OnRootMismatch walks again).
  void directory(UniqueFd dir, const Entry& e, const std::string& display) {
    for (const auto& name : directory_entries(dir.get(), display))
      child(dir.get(), name, display + "/" + name);
    change(dir.get(), e, o_, display);
  }

 private:
  void child(int parent, const std::string& name, const std::string& display) {
    int fd = ::openat(parent, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return;  // removed meanwhile (a pod sharing the claim)
      throw system_error("open " + display);
    }
    UniqueFd entry(fd);
    Entry e = stat_fd(fd, display);
    if (e.mnt_id != mnt_id_) return;  // another mount (a bind mount on a file or dir): not this volume's
    if (!S_ISDIR(e.mode)) {
      change(fd, e, o_, display);
      return;
    }
    // Reopened through the O_PATH fd: the same directory, whatever the name means now.
    int dir = ::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) throw system_error("open " + display);
    directory(UniqueFd(dir), e, display);
  }

  const plan::VolumeOwnership& o_;
  uint64_t mnt_id_;
};

}  // namespace

mode_t owned_mode(mode_t mode, bool read_only) {
  mode_t add = read_only ? kReadOnly : kReadWrite;
  if (S_ISDIR(mode)) add |= S_ISGID | kSearch;
  return mode | add;
}

bool root_owned(gid_t gid, mode_t mode, const plan::VolumeOwnership& o) {
  if (gid != o.gid || !S_ISDIR(mode)) return false;
  mode_t want = (o.read_only ? kReadOnly : kReadWrite) | kSearch;
  return (mode & want) == want && (mode & S_ISGID);
}

void set_volume_ownership(int dir_fd, const plan::VolumeOwnership& o, const std::string& display) {
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw system_error("open " + display);
  UniqueFd dir(fd);
  if (o.only_on_root_mismatch) {
    struct stat st;
    if (::fstat(fd, &st) < 0) throw system_error("stat " + display);
    if (root_owned(st.st_gid, st.st_mode, o)) return;
  }
  Entry root = stat_fd(fd, display);
  Walk(o, root.mnt_id).directory(std::move(dir), root, display);
}

void set_volume_ownership(const std::string& path, const plan::VolumeOwnership& o) {
  UniqueFd dir = open_fd(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  set_volume_ownership(dir.get(), o, path);
}

}  // namespace podlet::runtime
