#include "image/platform.h"

#include <sys/utsname.h>

#include "base/error.h"

namespace podlet::image {

Platform host_platform() {
  struct utsname u {};
  ::uname(&u);
  std::string m = u.machine;
  Platform p;
  if (m == "x86_64")
    p.architecture = "amd64";
  else if (m == "aarch64")
    p.architecture = "arm64", p.variant = "v8";
  else if (m.rfind("armv7", 0) == 0)
    p.architecture = "arm", p.variant = "v7";
  else if (m == "i686" || m == "i386")
    p.architecture = "386";
  else
    p.architecture = m;  // ppc64le, s390x, riscv64 share their names
  return p;
}

bool is_index_media_type(const std::string& mt) {
  return mt == "application/vnd.oci.image.index.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.list.v2+json";
}

nlohmann::json select_platform(const nlohmann::json& index, const Platform& want) {
  std::string offered;
  const nlohmann::json* fallback = nullptr;  // right os/arch, other variant
  for (const auto& d : index.value("manifests", nlohmann::json::array())) {
    auto p = d.value("platform", nlohmann::json::object());
    std::string os = p.value("os", ""), arch = p.value("architecture", ""), variant = p.value("variant", "");
    if (!os.empty())
      offered += (offered.empty() ? "" : ", ") + os + "/" + arch + (variant.empty() ? "" : "/" + variant);
    if (os != want.os || arch != want.architecture) continue;
    if (variant.empty() || want.variant.empty() || variant == want.variant) return d;
    if (!fallback) fallback = &d;
  }
  if (fallback) return *fallback;
  fail("no image for platform {}/{} (offered: {})", want.os, want.architecture,
       offered.empty() ? "none" : offered);
}

}  // namespace podlet::image
