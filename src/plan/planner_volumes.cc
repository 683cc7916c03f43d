// Pod volumes (prepared by the infra on the host) and each container's mounts of them.
#include <algorithm>

#include <fmt/core.h>

#include "manifest/expand.h"
#include "plan/planner_internal.h"

namespace podlet::plan::detail {

namespace {

// A relative path that stays inside its root: no "..", not absolute, not empty.
bool contained(const std::string& p) {
  if (p.empty() || p.front() == '/') return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    if (p.compare(start, end - start, "..") == 0 && end - start == 2) return false;
    start = end + 1;
  }
  return true;
}

void add_file(const PodContext& pod, const std::string& path, VolumeSpec& v, std::string rel,
              std::string content, int32_t mode) {
  if (!contained(rel)) pod.fail(path, fmt::format("path {} must be relative and must not contain '..'", rel));
  auto same = [&](const FileSpec& f) { return f.path == rel; };
  if (std::any_of(v.files.begin(), v.files.end(), same))
    pod.fail(path, fmt::format("volume {}: more than one file at {}", v.name, rel));
  v.files.push_back(FileSpec{rel, std::move(content), static_cast<uint32_t>(mode)});
}

// Files of a ConfigMap/Secret volume: the listed items, or every key.
void add_keys(const PodContext& pod, const std::string& path, VolumeSpec& v, const std::string& what,
              const std::map<std::string, std::string>& data, const std::vector<manifest::KeyToPath>& items,
              int32_t default_mode) {
  if (items.empty()) {
    for (const auto& [key, value] : data) add_file(pod, path, v, key, value, default_mode);
    return;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    auto it = data.find(item.key);
    if (it == data.end())
      pod.fail(fmt::format("{}.items[{}].key", path, i),
               fmt::format("key {} not found in {}", item.key, what));
    add_file(pod, fmt::format("{}.items[{}].path", path, i), v, item.path, it->second,
             item.mode.value_or(default_mode));
  }
}

void add_config_map(const PodContext& pod, const std::string& path, VolumeSpec& v,
                    const manifest::ConfigMapVolumeSource& src, int32_t default_mode) {
  const auto* cm = pod.objects.find_config_map(pod.ns(), src.name);
  if (!cm) {
    if (src.optional) return;
    pod.fail(path + ".name", fmt::format("ConfigMap {} not found in namespace {}", src.name, pod.ns()));
  }
  std::map<std::string, std::string> data = cm->data;
  data.insert(cm->binary_data.begin(), cm->binary_data.end());
  add_keys(pod, path, v, "ConfigMap " + src.name, data, src.items, default_mode);
}

void add_secret(const PodContext& pod, const std::string& path, VolumeSpec& v,
                const manifest::SecretVolumeSource& src, int32_t default_mode) {
  const auto* s = pod.objects.find_secret(pod.ns(), src.secret_name);
  if (!s) {
    if (src.optional) return;
    pod.fail(path + ".secretName",
             fmt::format("Secret {} not found in namespace {}", src.secret_name, pod.ns()));
  }
  add_keys(pod, path, v, "Secret " + src.secret_name, s->data, src.items, default_mode);
}

void add_downward(const PodContext& pod, const std::string& path, VolumeSpec& v,
                  const manifest::DownwardAPIVolumeSource& src, int32_t default_mode) {
  for (size_t i = 0; i < src.items.size(); ++i) {
    const auto& item = src.items[i];
    std::string ipath = fmt::format("{}.items[{}]", path, i);
    std::string value;
    if (item.field_ref) {
      value = field_ref_value(pod, *item.field_ref, ipath + ".fieldRef", nullptr);
    } else if (item.resource_field_ref) {
      const manifest::Container* first = pod.pod.all_containers().front();
      value = resource_field_value(pod, *first, *item.resource_field_ref, ipath + ".resourceFieldRef");
    }
    add_file(pod, ipath + ".path", v, item.path, value, item.mode.value_or(default_mode));
  }
}

VolumeSpec plan_volume(const PodContext& pod, const manifest::Volume& vol, const std::string& path) {
  using Kind = manifest::Volume::Kind;
  VolumeSpec v;
  v.name = vol.name;
  const std::string in_state = pod.state_dir + "/volumes/" + vol.name;
  switch (vol.kind()) {
    case Kind::kEmptyDir:
      if (vol.empty_dir->medium == "Memory") {
        v.kind = "memory";
        v.host_path = in_state;
        if (vol.empty_dir->size_limit) v.size_limit = static_cast<uint64_t>(vol.empty_dir->size_limit->value);
      } else if (vol.empty_dir->medium.empty()) {
        v.kind = "empty-dir";
        v.host_path = pod.data_dir + "/volumes/" + vol.name;
      } else {
        pod.fail(path + ".emptyDir.medium", fmt::format("medium {} is not supported", vol.empty_dir->medium));
      }
      break;
    case Kind::kHostPath:
      v.kind = "host-path";
      v.host_path = vol.host_path->path;
      v.host_path_type = vol.host_path->type;
      break;
    case Kind::kConfigMap:
      v.kind = "config-map";
      v.host_path = in_state;
      add_config_map(pod, path + ".configMap", v, *vol.config_map, vol.config_map->default_mode);
      break;
    case Kind::kSecret:
      v.kind = "secret";
      v.host_path = in_state;
      add_secret(pod, path + ".secret", v, *vol.secret, vol.secret->default_mode);
      break;
    case Kind::kPersistentVolumeClaim:
      // A claim is a named volume that outlives the pod, per namespace.
      v.kind = "persistent";
      v.host_path =
          pod.options.paths.volumes() + "/" + pod.ns() + "_" + vol.persistent_volume_claim->claim_name;
      break;
    case Kind::kDownwardAPI:
      v.kind = "config-map";  // files the infra writes, like a ConfigMap's
      v.host_path = in_state;
      add_downward(pod, path + ".downwardAPI", v, *vol.downward_api, vol.downward_api->default_mode);
      break;
    case Kind::kProjected: {
      v.kind = "config-map";
      v.host_path = in_state;
      const auto& p = *vol.projected;
      for (size_t i = 0; i < p.sources.size(); ++i) {
        const auto& s = p.sources[i];
        std::string spath = fmt::format("{}.projected.sources[{}]", path, i);
        if (s.config_map) add_config_map(pod, spath + ".configMap", v, *s.config_map, p.default_mode);
        if (s.secret) {
          v.kind = "secret";  // any secret content keeps the whole volume on tmpfs
          add_secret(pod, spath + ".secret", v, *s.secret, p.default_mode);
        }
        if (s.downward_api) add_downward(pod, spath + ".downwardAPI", v, *s.downward_api, p.default_mode);
        if (s.service_account_token)
          pod.fail(spath + ".serviceAccountToken",
                   "service account tokens are not supported (no API server)");
      }
      break;
    }
    case Kind::kImage:
      pod.fail(path + ".image", "image volumes are not supported yet");
    case Kind::kNone:
      pod.fail(path, "volume has no source");
  }
  return v;
}

// Kubernetes gives fsGroup to the volumes the kubelet manages (volume plugins with
// SetVolumeOwnership: emptyDir, configMap, secret, downwardAPI, projected, and
// writable claims; never hostPath, nor a claim mounted readOnly). Only claims
// honour fsGroupChangePolicy: the other volumes are new on every start.
std::optional<VolumeOwnership> ownership(const PodContext& pod, const manifest::Volume& vol,
                                         const VolumeSpec& v) {
  const auto& sc = pod.pod.spec.security_context;
  if (!sc.fs_group || v.kind == "host-path") return std::nullopt;
  if (vol.persistent_volume_claim && vol.persistent_volume_claim->read_only) return std::nullopt;
  VolumeOwnership o;
  o.gid = static_cast<uint32_t>(*sc.fs_group);
  o.read_only = v.kind == "config-map" || v.kind == "secret";
  o.only_on_root_mismatch =
      v.kind == "persistent" && sc.fs_group_change_policy && *sc.fs_group_change_policy == "OnRootMismatch";
  return o;
}

const char* propagation(const std::string& mode) {
  if (mode == "HostToContainer") return "rslave";
  if (mode == "Bidirectional") return "rshared";
  return "rprivate";
}

bool file_host_path_type(const std::string& t) {
  return t == "File" || t == "FileOrCreate" || t == "Socket" || t == "CharDevice" || t == "BlockDevice";
}

}  // namespace

std::vector<VolumeSpec> plan_volumes(const PodContext& pod) {
  std::vector<VolumeSpec> out;
  const auto& vols = pod.pod.spec.volumes;
  for (size_t i = 0; i < vols.size(); ++i) {
    out.push_back(plan_volume(pod, vols[i], pod.spec_path(fmt::format("volumes[{}]", i))));
    out.back().ownership = ownership(pod, vols[i], out.back());
  }
  return out;
}

std::vector<MountSpec> plan_mounts(const PodContext& pod, const ContainerContext& c,
                                   const std::vector<VolumeSpec>& volumes, const EnvList& env) {
  std::vector<MountSpec> mounts;
  for (size_t i = 0; i < c.c.volume_mounts.size(); ++i) {
    const auto& vm = c.c.volume_mounts[i];
    std::string path = fmt::format("{}.volumeMounts[{}]", c.path, i);
    auto it =
        std::find_if(volumes.begin(), volumes.end(), [&](const VolumeSpec& v) { return v.name == vm.name; });
    if (it == volumes.end()) pod.fail(path + ".name", fmt::format("no volume named {}", vm.name));
    const auto& vol_src = *std::find_if(pod.pod.spec.volumes.begin(), pod.pod.spec.volumes.end(),
                                        [&](const manifest::Volume& v) { return v.name == vm.name; });

    std::string sub = vm.sub_path;
    if (!vm.sub_path_expr.empty())
      sub = manifest::expand_vars(vm.sub_path_expr, [&](std::string_view n) { return lookup(env, n); });
    if (!sub.empty() && !contained(sub))
      pod.fail(path + (vm.sub_path_expr.empty() ? ".subPath" : ".subPathExpr"),
               fmt::format("{} must be a relative path without '..'", sub));

    MountSpec m;
    // The runtime resolves subPath inside the volume: joined here, a link a
    // container planted in the volume would be followed on the host.
    m.source = it->host_path;
    m.sub_path = sub;
    m.destination = vm.mount_path;
    m.type = "bind";
    // Kubernetes mounts ConfigMap, Secret, downward API and projected volumes read-only.
    bool api_volume = it->kind == "config-map" || it->kind == "secret";
    bool pvc_read_only = vol_src.persistent_volume_claim && vol_src.persistent_volume_claim->read_only;
    m.read_only = vm.read_only || api_volume || pvc_read_only;
    m.propagation = propagation(vm.mount_propagation);
    if (sub.empty()) {
      m.is_file = it->kind == "host-path" && file_host_path_type(it->host_path_type);
    } else if (api_volume) {
      m.is_file =
          std::any_of(it->files.begin(), it->files.end(), [&](const FileSpec& f) { return f.path == sub; });
    }
    mounts.push_back(std::move(m));
  }
  return mounts;
}

}  // namespace podlet::plan::detail
