// The host's OCI platform, for choosing an entry of a manifest list / image index.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace podlet::image {

struct Platform {
  std::string os = "linux";
  std::string architecture;  // GOARCH names: amd64, arm64, arm, 386, ppc64le, s390x, riscv64
  std::string variant;       // "v8" on arm64, "v7" on arm, usually empty
};

Platform host_platform();

// Picks the descriptor of `index["manifests"]` matching `want`; throws listing the
// platforms offered when none matches.
nlohmann::json select_platform(const nlohmann::json& index, const Platform& want);

bool is_index_media_type(const std::string& media_type);

}  // namespace podlet::image
