#include "image/layer_unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>

#include <memory>

#include "base/error.h"
#include "base/fd.h"
#include "image/digest.h"
#include "image/layer_writer.h"

namespace podlet::image {
namespace {

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

const char* error_of(archive* a) {
  return archive_error_string(a) ? archive_error_string(a) : "unknown error";
}

// Stage one: the decompressed byte stream of the blob, hashed and bounded as it
// is read. Stage two (the tar reader) pulls from it through read_callback.
struct DecompressedStream {
  archive* raw = nullptr;
  Sha256 hash;
  uint64_t bytes = 0;
  uint64_t limit = 0;
  std::string error;
  std::string buffer = std::string(1 << 17, '\0');

  ssize_t read(const void** out) {
    la_ssize_t n = archive_read_data(raw, buffer.data(), buffer.size());
    if (n < 0) {
      error = std::string("decompress: ") + error_of(raw);
      return -1;
    }
    bytes += static_cast<uint64_t>(n);
    if (bytes > limit) {
      error = fmt::format("layer expands beyond the limit of {} bytes (decompression bomb?)", limit);
      return -1;
    }
    hash.update(buffer.data(), static_cast<size_t>(n));
    *out = buffer.data();
    return n;
  }

  static la_ssize_t read_callback(archive* tar, void* self, const void** out) {
    auto* s = static_cast<DecompressedStream*>(self);
    ssize_t n = s->read(out);
    if (n < 0) archive_set_error(tar, EIO, "%s", s->error.c_str());
    return n;
  }
};

}  // namespace

UnpackResult unpack_layer(const std::string& blob_path, const std::string& dest, const UnpackLimits& limits) {
  return with_context("unpack " + blob_path, [&] {
    ArchivePtr raw(archive_read_new());
    archive_read_support_filter_all(raw.get());
    archive_read_support_format_raw(raw.get());
    archive_read_support_format_empty(raw.get());
    if (archive_read_open_filename(raw.get(), blob_path.c_str(), 1 << 17) != ARCHIVE_OK)
      fail("{}", error_of(raw.get()));
    DecompressedStream stream;
    stream.raw = raw.get();
    stream.limit = limits.max_bytes;
    archive_entry* entry;
    int rc = archive_read_next_header(raw.get(), &entry);
    bool empty = rc == ARCHIVE_EOF;
    if (rc < ARCHIVE_OK && !empty) fail("{}", error_of(raw.get()));

    UniqueFd root = open_fd(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    LayerWriter writer(root.get(), limits.max_bytes);
    if (!empty) {
      ArchivePtr tar(archive_read_new());
      archive_read_support_format_tar(tar.get());
      archive_read_support_format_empty(tar.get());
      if (archive_read_open(tar.get(), &stream, nullptr, &DecompressedStream::read_callback, nullptr) !=
          ARCHIVE_OK)
        fail("{}", stream.error.empty() ? error_of(tar.get()) : stream.error);
      uint64_t entries = 0;
      for (;;) {
        rc = archive_read_next_header(tar.get(), &entry);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN) fail("{}", stream.error.empty() ? error_of(tar.get()) : stream.error);
        if (++entries > limits.max_entries) fail("more than {} entries in one layer", limits.max_entries);
        try {
          writer.apply(tar.get(), entry);
        } catch (const Error&) {
          if (!stream.error.empty()) fail("{}", stream.error);
          throw;
        }
      }
      // The tar reader may stop before the end-of-archive padding: hash the rest too.
      const void* ignored;
      ssize_t n;
      while ((n = stream.read(&ignored)) > 0) {
      }
      if (n < 0) fail("{}", stream.error);
    }
    writer.finish();
    return UnpackResult{stream.hash.digest(), stream.bytes};
  });
}

}  // namespace podlet::image
