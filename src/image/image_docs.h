// Strict readers of the JSON documents an image is made of (image index / manifest
// list, image manifest, image config). They come from registries and archives,
// i.e. from strangers: every field is type-checked and every digest validated,
// and any malformed document gives a podlet::Error naming the field, never a
// JSON library exception or a crash (fuzzed by tests/fuzz/fuzz_image_docs.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "image/image.h"

namespace podlet::image {

struct Descriptor {
  std::string media_type;
  std::string digest;  // validated sha256:<hex>
  uint64_t size = 0;   // 0 when absent
  // Only for entries of an index:
  std::string os, architecture, variant;
  std::string ref_name;          // org.opencontainers.image.ref.name or io.containerd.image.name annotation
  bool containerd_name = false;  // ref_name came from io.containerd.image.name (a full reference)
};

struct IndexDoc {
  std::string media_type;
  std::vector<Descriptor> manifests;
};

struct ManifestDoc {
  std::string media_type;
  Descriptor config;
  std::vector<Descriptor> layers;
};

struct ConfigDoc {
  std::vector<std::string> diff_ids;  // validated digests
  std::string os, architecture, variant;
  int64_t created = 0;
  ImageConfig config;
};

// Documents larger than this are refused before parsing.
constexpr size_t kMaxImageDocSize = 4 << 20;

// The media type of a manifest-or-index document: its own "mediaType" field, else
// `content_type` (what the registry sent), else guessed from the fields present.
std::string document_media_type(std::string_view body, std::string_view content_type = "");
bool is_index_media_type(const std::string& media_type);

IndexDoc parse_index(std::string_view body);
// Docker schema 2 or OCI image manifest (schema 1 is refused).
ManifestDoc parse_manifest(std::string_view body);
ConfigDoc parse_config(std::string_view body);

// Layer media types podlet unpacks: tar, tar+gzip, tar+zstd (OCI and Docker names),
// not encrypted or non-distributable ones.
bool is_layer_media_type(const std::string& media_type);

}  // namespace podlet::image
