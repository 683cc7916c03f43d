// Applies tar entries to a layer directory without ever leaving it. Layer tars
// come from strangers, so every path is resolved component by component with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): an entry whose path is absolute,
// contains "..", or passes through a symlink is refused; nothing is ever written
// through a symlink, and hardlinks may only point at files of the same layer.
//
// Policy (documented in the README):
// - OCI whiteouts become overlayfs whiteouts: ".wh.NAME" -> char device 0/0 NAME,
//   ".wh..wh..opq" -> xattr trusted.overlay.opaque=y on the directory. They are
//   never executed as deletions, so they cannot delete anything anywhere.
// - Device nodes are dropped (except char 0/0, an overlayfs whiteout); FIFOs kept.
// - setuid/setgid bits and ownership are kept when running as root (the store is
//   mode 0700, so host users cannot reach those files); stripped otherwise.
// - xattrs kept: user.* and security.capability; all others (trusted.*, which
//   would let a layer forge overlayfs metadata, security.selinux, system.*) dropped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/fd.h"

struct archive;
struct archive_entry;

namespace podlet::image {

class LayerWriter {
 public:
  // root: an open directory fd of the (empty) layer directory.
  LayerWriter(int root_fd, uint64_t max_total_size);
  // Writes one entry, consuming its data from `a`. Throws podlet::Error.
  void apply(archive* a, archive_entry* entry);
  // Sets directory times last (creating children changes them).
  void finish();

 private:
  // Opens the directory `components` below the root, creating missing ones if asked.
  UniqueFd open_dir(const std::vector<std::string>& components, bool create);
  void write_regular(archive* a, archive_entry* e, int parent, const std::string& base);
  void make_directory(archive_entry* e, int parent, const std::string& base, const std::string& path);
  void make_whiteout(int parent, const std::string& base);
  void remove_existing(int parent, const std::string& base, bool keep_dir);
  void set_metadata(archive_entry* e, int fd, int parent, const std::string& base, bool symlink);

  int root_;
  bool privileged_;
  uint64_t max_total_size_;
  uint64_t total_size_ = 0;
  struct DirTimes {
    std::vector<std::string> components;
    int64_t mtime_sec;
    long mtime_nsec;
  };
  std::vector<DirTimes> dir_times_;
};

// Splits a tar path into clean components: strips "./" and empty parts, and
// throws for absolute paths and ".." components.
std::vector<std::string> clean_entry_path(const std::string& name);

}  // namespace podlet::image
