#include "manifest/model.h"

namespace podlet::manifest {

Manifest load_manifests(const std::vector<Input>& inputs, const LoadLimits& /*limits*/) {
  Manifest m;
  for (const auto& in : inputs) {
    m.diagnostics.push_back(
        Diagnostic{Diagnostic::kError, in.filename, 0, 0, "", "manifest loading is not implemented yet"});
  }
  return m;
}

Manifest load_manifest(std::string_view text, const std::string& filename) {
  return load_manifests({Input{filename, std::string(text)}});
}

}  // namespace podlet::manifest
