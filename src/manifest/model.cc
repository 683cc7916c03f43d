#include "manifest/model.h"

namespace podlet::manifest {

SourcePosition Source::position_of(std::string_view path) const {
  if (!positions) return {line, 0};
  std::string p(path);
  while (!p.empty()) {
    if (auto it = positions->find(p); it != positions->end()) return it->second;
    const size_t cut = p.find_last_of(".[");
    if (cut == std::string::npos) break;
    p.resize(cut);
  }
  return {line, 0};
}

Diagnostic Source::diagnostic(Diagnostic::Severity severity, const std::string& path,
                              std::string message) const {
  const SourcePosition pos = position_of(path);
  return Diagnostic{severity, file, pos.line, pos.column, path, std::move(message)};
}

Volume::Kind Volume::kind() const {
  if (empty_dir) return Kind::kEmptyDir;
  if (host_path) return Kind::kHostPath;
  if (config_map) return Kind::kConfigMap;
  if (secret) return Kind::kSecret;
  if (persistent_volume_claim) return Kind::kPersistentVolumeClaim;
  if (downward_api) return Kind::kDownwardAPI;
  if (projected) return Kind::kProjected;
  if (image) return Kind::kImage;
  return Kind::kNone;
}

std::vector<const Container*> Pod::all_containers() const {
  std::vector<const Container*> out;
  for (const auto& c : spec.init_containers) out.push_back(&c);
  for (const auto& c : spec.containers) out.push_back(&c);
  return out;
}

template <typename T>
static const T* find_in(const std::map<std::string, T>& m, const std::string& ns, const std::string& name) {
  auto it = m.find(ns + "/" + name);
  return it == m.end() ? nullptr : &it->second;
}

const ConfigMap* Manifest::find_config_map(const std::string& ns, const std::string& name) const {
  return find_in(config_maps, ns, name);
}
const Secret* Manifest::find_secret(const std::string& ns, const std::string& name) const {
  return find_in(secrets, ns, name);
}
const PersistentVolumeClaim* Manifest::find_pvc(const std::string& ns, const std::string& name) const {
  return find_in(pvcs, ns, name);
}

}  // namespace podlet::manifest
