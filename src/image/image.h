// What the rest of podlet sees of an image: its identity, its unpacked layers
// (ready for overlayfs) and the runtime-relevant part of its OCI config.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace podlet::image {

// The "config" object of an OCI/Docker image config (Entrypoint, Cmd, ...).
struct ImageConfig {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // "KEY=value"
  std::string working_dir;
  std::string user;
  std::vector<std::string> exposed_ports;  // "80/tcp"
  std::map<std::string, std::string> labels;
};

struct Image {
  std::string id;                  // "sha256:<config digest hex>"
  std::vector<std::string> names;  // normalized references, e.g. "docker.io/library/busybox:latest"
  std::string digest;              // manifest digest (of the index/manifest list when pulled through one)
  std::string manifest_digest;     // the platform-specific manifest actually used
  std::vector<std::string>
      layer_dirs;  // absolute unpacked layer dirs, TOP-MOST FIRST (overlayfs lowerdir order)
  ImageConfig config;
  int64_t created = 0;  // seconds since the epoch
  uint64_t size = 0;    // sum of the uncompressed layers
  std::string os;
  std::string architecture;
};

// Reads the runtime config from an image config JSON document.
ImageConfig parse_image_config(const nlohmann::json& config_doc);
// RFC 3339 ("2024-01-02T03:04:05.123Z") -> seconds since the epoch; 0 when unparsable.
int64_t parse_rfc3339(const std::string& s);
std::string format_rfc3339(int64_t t);

void to_json(nlohmann::json& j, const ImageConfig& c);
void to_json(nlohmann::json& j, const Image& i);

}  // namespace podlet::image
