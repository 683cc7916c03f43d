// Image references the way Docker and Podman normalise them:
//   busybox                 -> docker.io/library/busybox:latest
//   localhost/x             -> localhost/x:latest
//   reg.example.com:5000/a/b@sha256:... keeps the digest (and no tag is added)
#pragma once

#include <string>
#include <string_view>

namespace podlet::image {

struct Reference {
  std::string registry;    // "docker.io", "localhost", "127.0.0.1:5000"
  std::string repository;  // "library/busybox"
  std::string tag;         // empty when only a digest was given
  std::string digest;      // "sha256:..." or empty

  // registry/repository
  std::string name() const { return registry + "/" + repository; }
  // name[:tag][@digest]
  std::string string() const;
};

// Throws podlet::Error for references that are not valid image names.
Reference parse_reference(std::string_view ref);
std::string normalize_reference(std::string_view ref);
// A name without a registry part ("busybox", "team/app:1"): registries.conf decides
// where it comes from (see registries_conf.h); parse_reference assumes docker.io.
bool is_short_name(std::string_view ref);

}  // namespace podlet::image
