// The host's OCI platform, for choosing an entry of a manifest list / image index.
#pragma once

#include <string>

#include "image/image_docs.h"

namespace podlet::image {

struct Platform {
  std::string os = "linux";
  std::string architecture;  // GOARCH names: amd64, arm64, arm, 386, ppc64le, s390x, riscv64
  std::string variant;       // "v8" on arm64, "v7" on arm, usually empty
};

Platform host_platform();

// Picks the entry of an image index matching `want` (an entry for the right os and
// architecture but another variant when nothing matches exactly); throws listing
// the platforms offered when none matches.
Descriptor select_platform(const IndexDoc& index, const Platform& want);

}  // namespace podlet::image
