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

Descriptor select_platform(const IndexDoc& index, const Platform& want) {
  std::string offered;
  const Descriptor* fallback = nullptr;  // right os/arch, other variant
  for (const auto& d : index.manifests) {
    if (!d.os.empty())
      offered += (offered.empty() ? "" : ", ") + d.os + "/" + d.architecture +
                 (d.variant.empty() ? "" : "/" + d.variant);
    if (d.os != want.os || d.architecture != want.architecture) continue;
    if (d.variant.empty() || want.variant.empty() || d.variant == want.variant) return d;
    if (!fallback) fallback = &d;
  }
  if (fallback) return *fallback;
  fail("no image for platform {}/{} (offered: {})", want.os, want.architecture,
       offered.empty() ? "none" : offered);
}

}  // namespace podlet::image
