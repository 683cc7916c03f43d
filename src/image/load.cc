// Store::load: OCI image layouts, oci-archive and docker-archive tars.
#include "base/error.h"
#include "image/store.h"

namespace podlet::image {

std::vector<Image> Store::load(const std::string& path, const std::string& /*name*/) {
  fail("image load {}: not implemented yet", path);
}

}  // namespace podlet::image
