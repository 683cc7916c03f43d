// Crafts layer tarballs entry by entry (libarchive), including the hostile ones.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace podlet::image::testing {

class TarBuilder {
 public:
  enum class Compression { kNone, kGzip, kZstd };

  TarBuilder& file(const std::string& name, const std::string& content, int mode = 0644, int uid = 0,
                   int gid = 0, std::vector<std::pair<std::string, std::string>> xattrs = {}) {
    entries_.push_back({name, AE_IFREG, mode, content, "", "", uid, gid, 0, 0, std::move(xattrs), -1});
    return *this;
  }
  // A regular file header claiming `size` bytes, of which only `content` follow (sparse-like / lying).
  TarBuilder& file_with_size(const std::string& name, const std::string& content, int64_t size) {
    entries_.push_back({name, AE_IFREG, 0644, content, "", "", 0, 0, 0, 0, {}, size});
    return *this;
  }
  TarBuilder& dir(const std::string& name, int mode = 0755) {
    entries_.push_back({name, AE_IFDIR, mode, "", "", "", 0, 0, 0, 0, {}, -1});
    return *this;
  }
  TarBuilder& symlink(const std::string& name, const std::string& target) {
    entries_.push_back({name, AE_IFLNK, 0777, "", target, "", 0, 0, 0, 0, {}, -1});
    return *this;
  }
  TarBuilder& hardlink(const std::string& name, const std::string& target) {
    entries_.push_back({name, AE_IFREG, 0644, "", "", target, 0, 0, 0, 0, {}, -1});
    return *this;
  }
  TarBuilder& device(const std::string& name, unsigned type, int major, int minor) {
    entries_.push_back({name, type, 0666, "", "", "", 0, 0, major, minor, {}, -1});
    return *this;
  }

  std::string bytes(Compression c = Compression::kNone) const {
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (c == Compression::kGzip) archive_write_add_filter_gzip(a);
    if (c == Compression::kZstd) archive_write_add_filter_zstd(a);
    archive_write_set_bytes_in_last_block(a, 1);
    size_t capacity = 1 << 20;
    for (const auto& e : entries_) capacity += e.content.size() + 4096;
    std::string out(capacity, '\0');
    size_t used = 0;
    if (archive_write_open_memory(a, out.data(), out.size(), &used) != ARCHIVE_OK)
      throw std::runtime_error("open");
    for (const auto& e : entries_) {
      archive_entry* en = archive_entry_new();
      archive_entry_set_pathname(en, e.name.c_str());
      archive_entry_set_filetype(en, e.type);
      archive_entry_set_perm(en, static_cast<mode_t>(e.mode));
      archive_entry_set_uid(en, e.uid);
      archive_entry_set_gid(en, e.gid);
      archive_entry_set_mtime(en, 1700000000, 0);
      if (!e.symlink.empty()) archive_entry_set_symlink(en, e.symlink.c_str());
      if (!e.hardlink.empty()) archive_entry_set_hardlink(en, e.hardlink.c_str());
      if (e.type == AE_IFCHR || e.type == AE_IFBLK) {
        archive_entry_set_rdevmajor(en, static_cast<dev_t>(e.major));
        archive_entry_set_rdevminor(en, static_cast<dev_t>(e.minor));
      }
      for (const auto& [k, v] : e.xattrs) archive_entry_xattr_add_entry(en, k.c_str(), v.data(), v.size());
      int64_t size = e.claimed_size >= 0 ? e.claimed_size : static_cast<int64_t>(e.content.size());
      if (e.type == AE_IFREG && e.hardlink.empty()) archive_entry_set_size(en, size);
      if (archive_write_header(a, en) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a));
      if (!e.content.empty()) archive_write_data(a, e.content.data(), e.content.size());
      archive_entry_free(en);
    }
    archive_write_close(a);
    archive_write_free(a);
    out.resize(used);
    return out;
  }

  void write(const std::string& path, Compression c = Compression::kNone) const {
    std::ofstream(path, std::ios::binary) << bytes(c);
  }

 private:
  struct Entry {
    std::string name;
    unsigned type;
    int mode;
    std::string content, symlink, hardlink;
    int uid, gid, major, minor;
    std::vector<std::pair<std::string, std::string>> xattrs;
    int64_t claimed_size;
  };
  std::vector<Entry> entries_;
};

// A temporary directory removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/podlet-image-test.XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace podlet::image::testing
