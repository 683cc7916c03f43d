#include "image/layer_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>

#include "base/error.h"

namespace podlet::image {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueWhiteout = ".wh..wh..opq";
constexpr const char* kOpaqueXattr = "trusted.overlay.opaque";

// openat2 confined to `dir`: no symlinks, no "..", no other filesystems.
int openat2_beneath(int dir, const std::string& name, int flags) {
  struct open_how how {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  for (;;) {
    long fd = ::syscall(SYS_openat2, dir, name.c_str(), &how, sizeof how);
    if (fd >= 0 || errno != EINTR) return static_cast<int>(fd);
  }
}

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : "/") + p;
  return s.empty() ? "." : s;
}

bool keep_xattr(std::string_view name) {
  return name.substr(0, 5) == "user." || name == "security.capability";
}

}  // namespace

std::vector<std::string> clean_entry_path(const std::string& name) {
  if (!name.empty() && name.front() == '/')
    fail("entry {:?}: absolute paths are not allowed in a layer", name);
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string part = name.substr(start, end - start);
    if (part == "..") fail("entry {:?}: \"..\" is not allowed in a layer path", name);
    if (!part.empty() && part != ".") parts.push_back(std::move(part));
    start = end + 1;
  }
  return parts;
}

LayerWriter::LayerWriter(int root_fd, uint64_t max_total_size)
    : root_(root_fd), privileged_(::geteuid() == 0), max_total_size_(max_total_size) {}

UniqueFd LayerWriter::open_dir(const std::vector<std::string>& components, bool create) {
  UniqueFd cur(::fcntl(root_, F_DUPFD_CLOEXEC, 3));
  if (!cur) throw system_error("dup layer root");
  for (const auto& c : components) {
    int fd = openat2_beneath(cur.get(), c, O_RDONLY | O_DIRECTORY);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(cur.get(), c.c_str(), 0755) < 0 && errno != EEXIST) throw system_error("mkdir " + c);
      fd = openat2_beneath(cur.get(), c, O_RDONLY | O_DIRECTORY);
    }
    if (fd < 0) {
      if (errno == ELOOP || errno == EXDEV)
        throw system_error(
            fmt::format("{}: refusing to follow a symlink out of the layer", join(components)));
      if (errno == ENOTDIR) fail("{}: a parent is not a directory", join(components));
      throw system_error("open " + join(components));
    }
    cur.reset(fd);
  }
  return cur;
}

void LayerWriter::remove_existing(int parent, const std::string& base, bool keep_dir) {
  struct stat st;
  if (::fstatat(parent, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
    if (errno == ENOENT) return;
    throw system_error("stat " + base);
  }
  if (S_ISDIR(st.st_mode)) {
    if (keep_dir) return;
    // Replacing a directory by a file: only an empty one (tars replacing whole trees are malformed).
    if (::unlinkat(parent, base.c_str(), AT_REMOVEDIR) < 0) throw system_error("replace directory " + base);
    return;
  }
  if (::unlinkat(parent, base.c_str(), 0) < 0) throw system_error("replace " + base);
}

void LayerWriter::set_metadata(archive_entry* e, int fd, int parent, const std::string& base, bool symlink) {
  auto uid = static_cast<uid_t>(archive_entry_uid(e));
  auto gid = static_cast<gid_t>(archive_entry_gid(e));
  auto mode = static_cast<mode_t>(archive_entry_perm(e)) & 07777;
  if (privileged_) {
    int rc =
        symlink ? ::fchownat(parent, base.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) : ::fchown(fd, uid, gid);
    if (rc < 0) throw system_error("chown " + base);
  } else {
    mode &= ~static_cast<mode_t>(S_ISUID | S_ISGID);
  }
  if (symlink) return;  // symlinks carry no mode or xattrs of their own
  if (::fchmod(fd, mode) < 0) throw system_error("chmod " + base);
  archive_entry_xattr_reset(e);
  const char* name;
  const void* value;
  size_t size;
  while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
    if (!keep_xattr(name)) {
      spdlog::debug("layer entry {}: dropping xattr {}", base, name);
      continue;
    }
    if (::fsetxattr(fd, name, value, size, 0) < 0 && errno != ENOTSUP && errno != EPERM)
      throw system_error(fmt::format("set xattr {} on {}", name, base));
  }
}

void LayerWriter::write_regular(archive* a, archive_entry* e, int parent, const std::string& base) {
  int64_t size = archive_entry_size(e);
  if (size < 0) fail("{}: negative size", base);
  total_size_ += static_cast<uint64_t>(size);
  if (total_size_ > max_total_size_)
    fail("layer expands beyond the limit of {} bytes (decompression bomb?)", max_total_size_);
  UniqueFd fd = open_at(parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  const void* buf;
  size_t len;
  la_int64_t offset;
  for (;;) {
    int rc = archive_read_data_block(a, &buf, &len, &offset);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_OK)
      fail("{}: {}", base, archive_error_string(a) ? archive_error_string(a) : "read error");
    if (offset < 0 || static_cast<uint64_t>(offset) + len > static_cast<uint64_t>(size))
      fail("{}: data beyond the entry's size", base);
    const char* p = static_cast<const char*>(buf);
    while (len > 0) {
      ssize_t n = ::pwrite(fd.get(), p, len, offset);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw system_error("write " + base);
      }
      p += n;
      len -= static_cast<size_t>(n);
      offset += n;
    }
  }
  if (::ftruncate(fd.get(), size) < 0) throw system_error("truncate " + base);
  set_metadata(e, fd.get(), parent, base, false);
  struct timespec ts[2] = {{archive_entry_mtime(e), archive_entry_mtime_nsec(e)},
                           {archive_entry_mtime(e), archive_entry_mtime_nsec(e)}};
  ::futimens(fd.get(), ts);
}

void LayerWriter::make_directory(archive_entry* e, int parent, const std::string& base,
                                 const std::string& path) {
  struct stat st;
  bool replaced_whiteout = false;
  if (::fstatat(parent, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
    replaced_whiteout = S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
    remove_existing(parent, base, false);
  }
  if (::mkdirat(parent, base.c_str(), 0700) < 0 && errno != EEXIST) throw system_error("mkdir " + path);
  int raw = openat2_beneath(parent, base, O_RDONLY | O_DIRECTORY);
  if (raw < 0) throw system_error("open " + path);
  UniqueFd fd(raw);
  set_metadata(e, fd.get(), parent, base, false);
  // A directory that replaces a whited-out one must not show the lower layers' content.
  if (replaced_whiteout && ::fsetxattr(fd.get(), kOpaqueXattr, "y", 1, 0) < 0)
    throw system_error("mark " + path + " opaque");
}

void LayerWriter::make_whiteout(int parent, const std::string& base) {
  if (base == kOpaqueWhiteout) {
    if (::fsetxattr(parent, kOpaqueXattr, "y", 1, 0) < 0)
      throw system_error("opaque whiteout: set " + std::string(kOpaqueXattr));
    return;
  }
  std::string target = base.substr(kWhiteoutPrefix.size());
  if (target.substr(0, kWhiteoutPrefix.size()) == kWhiteoutPrefix) return;  // aufs metadata (.wh..wh.plnk)
  if (target.empty() || target == "." || target == "..") fail("invalid whiteout {:?}", base);
  struct stat st;
  if (::fstatat(parent, target.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    // The layer itself has content there, which already hides the lower layers.
    if (S_ISDIR(st.st_mode)) {
      UniqueFd dir(openat2_beneath(parent, target, O_RDONLY | O_DIRECTORY));
      if (!dir || ::fsetxattr(dir.get(), kOpaqueXattr, "y", 1, 0) < 0) throw system_error("opaque " + target);
    }
    return;
  }
  if (::mknodat(parent, target.c_str(), S_IFCHR | 0000, makedev(0, 0)) < 0)
    throw system_error("whiteout " + target);
}

void LayerWriter::apply(archive* a, archive_entry* e) {
  const char* raw_name = archive_entry_pathname(e);
  if (!raw_name) fail("layer entry without a name");
  std::string name = raw_name;
  auto parts = clean_entry_path(name);
  if (parts.empty()) {
    // The layer root itself ("./"): only its metadata.
    if (archive_entry_filetype(e) == AE_IFDIR) set_metadata(e, root_, root_, ".", false);
    return;
  }
  std::string base = parts.back();
  parts.pop_back();
  UniqueFd parent = open_dir(parts, true);
  with_context(fmt::format("layer entry {:?}", name), [&] {
    if (base.substr(0, kWhiteoutPrefix.size()) == kWhiteoutPrefix) return make_whiteout(parent.get(), base);
    if (const char* link = archive_entry_hardlink(e)) {
      auto target = clean_entry_path(link);
      if (target.empty()) fail("hardlink to the layer root");
      std::string tbase = target.back();
      target.pop_back();
      UniqueFd tparent = open_dir(target, false);
      struct stat st;
      if (::fstatat(tparent.get(), tbase.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
        throw system_error(fmt::format("hardlink target {:?} is not in this layer", std::string(link)));
      if (S_ISDIR(st.st_mode)) fail("hardlink to a directory");
      remove_existing(parent.get(), base, false);
      if (::linkat(tparent.get(), tbase.c_str(), parent.get(), base.c_str(), 0) < 0)
        throw system_error(fmt::format("hardlink to {:?}", std::string(link)));
      return;
    }
    switch (archive_entry_filetype(e)) {
      case AE_IFREG:
        remove_existing(parent.get(), base, false);
        return write_regular(a, e, parent.get(), base);
      case AE_IFDIR: {
        make_directory(e, parent.get(), base, name);
        auto full = parts;
        full.push_back(base);
        dir_times_.push_back({std::move(full), archive_entry_mtime(e), archive_entry_mtime_nsec(e)});
        return;
      }
      case AE_IFLNK: {
        const char* target = archive_entry_symlink(e);
        if (!target) fail("symlink without a target");
        remove_existing(parent.get(), base, false);
        // The target is stored verbatim: podlet never follows symlinks while unpacking, and the
        // runtime resolves them inside the container's root.
        if (::symlinkat(target, parent.get(), base.c_str()) < 0) throw system_error("symlink");
        return set_metadata(e, -1, parent.get(), base, true);
      }
      case AE_IFIFO: {
        remove_existing(parent.get(), base, false);
        if (::mknodat(parent.get(), base.c_str(), S_IFIFO | 0600, 0) < 0) throw system_error("mkfifo");
        if (privileged_ && ::fchownat(parent.get(), base.c_str(), static_cast<uid_t>(archive_entry_uid(e)),
                                      static_cast<gid_t>(archive_entry_gid(e)), AT_SYMLINK_NOFOLLOW) < 0)
          throw system_error("chown fifo");
        if (::fchmodat(parent.get(), base.c_str(), archive_entry_perm(e) & 0777, 0) < 0)
          throw system_error("chmod fifo");
        return;
      }
      case AE_IFCHR:
        if (archive_entry_rdevmajor(e) == 0 && archive_entry_rdevminor(e) == 0) {
          remove_existing(parent.get(), base, false);
          if (::mknodat(parent.get(), base.c_str(), S_IFCHR, makedev(0, 0)) < 0)
            throw system_error("whiteout");
          return;
        }
        [[fallthrough]];
      case AE_IFBLK:
      case AE_IFSOCK:
        spdlog::warn("layer entry {}: device nodes and sockets are not unpacked", name);
        return;
      default:
        fail("unsupported entry type {:o}", archive_entry_filetype(e));
    }
  });
}

void LayerWriter::finish() {
  for (auto it = dir_times_.rbegin(); it != dir_times_.rend(); ++it) {
    try {
      UniqueFd dir = open_dir(it->components, false);
      struct timespec ts[2] = {{it->mtime_sec, it->mtime_nsec}, {it->mtime_sec, it->mtime_nsec}};
      ::futimens(dir.get(), ts);
    } catch (const Error&) {
      // A directory later replaced by another entry: its time does not matter.
    }
  }
}

}  // namespace podlet::image
