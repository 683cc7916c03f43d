// Unpacks one layer blob (tar, optionally gzip/zstd/xz compressed: libarchive
// detects the filter) into a directory, computing the digest of the uncompressed
// stream (the OCI "diff_id") on the way and stopping at the size limits.
#pragma once

#include <cstdint>
#include <string>

namespace podlet::image {

struct UnpackLimits {
  uint64_t max_bytes = 64ULL << 30;  // uncompressed stream and sum of file sizes
  uint64_t max_entries = 4'000'000;
};

struct UnpackResult {
  std::string diff_id;  // sha256 of the uncompressed tar
  uint64_t size = 0;    // uncompressed bytes
};

// `dest` must be an existing empty directory; on error it is left partly filled
// (the caller unpacks into a temporary directory and removes it).
UnpackResult unpack_layer(const std::string& blob_path, const std::string& dest,
                          const UnpackLimits& limits = {});

}  // namespace podlet::image
