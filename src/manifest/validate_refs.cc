// References from a pod to ConfigMaps, Secrets and PVCs of the same input.
#include "manifest/validate_internal.h"

namespace podlet::manifest::detail {
namespace {

template <typename Object>
void check_ref(PodContext& p, const Object* found, const char* kind, const std::string& name, bool optional,
               const std::string& path, const std::string* key = nullptr) {
  if (name.empty()) return;  // reported as a required value already
  const std::string ref = p.pod.metadata.namespace_ + "/" + name;
  if (!found) {
    if (!optional) {
      p.ck.error(path,
                 std::string(kind) + " " + ref +
                     " is not in the input (add it to the input, or mark the reference optional: true)");
    }
    return;
  }
  if (!key || optional) return;
  bool has = found->data.count(*key) > 0;
  if constexpr (std::is_same_v<Object, ConfigMap>) has = has || found->binary_data.count(*key) > 0;
  if (!has) p.ck.error(path, "key \"" + *key + "\" is not in " + kind + " " + ref);
}

const ConfigMap* config_map(PodContext& p, const std::string& name) {
  return p.manifest.find_config_map(p.pod.metadata.namespace_, name);
}
const Secret* secret(PodContext& p, const std::string& name) {
  return p.manifest.find_secret(p.pod.metadata.namespace_, name);
}

void check_items(PodContext& p, const ConfigMap* cm, const Secret* s, const std::vector<KeyToPath>& items,
                 bool optional, const char* kind, const std::string& name, const std::string& path) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (cm) check_ref(p, cm, kind, name, optional, item(child(path, "items"), i), &items[i].key);
    if (s) check_ref(p, s, kind, name, optional, item(child(path, "items"), i), &items[i].key);
  }
}

void check_container(PodContext& p, const Container& c, const std::string& path) {
  for (size_t i = 0; i < c.env.size(); ++i) {
    const auto& e = c.env[i];
    if (!e.value_from) continue;
    const std::string fp = child(item(child(path, "env"), i), "valueFrom");
    if (const auto& r = e.value_from->config_map_key_ref) {
      check_ref(p, config_map(p, r->name), "ConfigMap", r->name, r->optional, child(fp, "configMapKeyRef"),
                &r->key);
    }
    if (const auto& r = e.value_from->secret_key_ref) {
      check_ref(p, secret(p, r->name), "Secret", r->name, r->optional, child(fp, "secretKeyRef"), &r->key);
    }
  }
  for (size_t i = 0; i < c.env_from.size(); ++i) {
    const auto& e = c.env_from[i];
    const std::string ep = item(child(path, "envFrom"), i);
    if (e.config_map_ref) {
      check_ref(p, config_map(p, e.config_map_ref->name), "ConfigMap", e.config_map_ref->name,
                e.config_map_ref->optional, child(ep, "configMapRef"));
    }
    if (e.secret_ref) {
      check_ref(p, secret(p, e.secret_ref->name), "Secret", e.secret_ref->name, e.secret_ref->optional,
                child(ep, "secretRef"));
    }
  }
}

void check_volume(PodContext& p, const Volume& v, const std::string& path) {
  if (v.config_map) {
    const auto& s = *v.config_map;
    const ConfigMap* cm = config_map(p, s.name);
    check_ref(p, cm, "ConfigMap", s.name, s.optional, child(path, "configMap"));
    check_items(p, cm, nullptr, s.items, s.optional, "ConfigMap", s.name, child(path, "configMap"));
  }
  if (v.secret) {
    const auto& s = *v.secret;
    const Secret* sec = secret(p, s.secret_name);
    check_ref(p, sec, "Secret", s.secret_name, s.optional, child(path, "secret"));
    check_items(p, nullptr, sec, s.items, s.optional, "Secret", s.secret_name, child(path, "secret"));
  }
  if (v.projected) {
    for (size_t i = 0; i < v.projected->sources.size(); ++i) {
      const auto& src = v.projected->sources[i];
      const std::string sp = item(child(child(path, "projected"), "sources"), i);
      if (src.config_map) {
        const ConfigMap* cm = config_map(p, src.config_map->name);
        check_ref(p, cm, "ConfigMap", src.config_map->name, src.config_map->optional, child(sp, "configMap"));
        check_items(p, cm, nullptr, src.config_map->items, src.config_map->optional, "ConfigMap",
                    src.config_map->name, child(sp, "configMap"));
      }
      if (src.secret) {
        const Secret* sec = secret(p, src.secret->secret_name);
        check_ref(p, sec, "Secret", src.secret->secret_name, src.secret->optional, child(sp, "secret"));
        check_items(p, nullptr, sec, src.secret->items, src.secret->optional, "Secret",
                    src.secret->secret_name, child(sp, "secret"));
      }
    }
  }
  if (v.persistent_volume_claim && !v.persistent_volume_claim->claim_name.empty()) {
    const std::string& claim = v.persistent_volume_claim->claim_name;
    if (!p.manifest.find_pvc(p.pod.metadata.namespace_, claim)) {
      p.ck.warn(child(child(path, "persistentVolumeClaim"), "claimName"),
                "PersistentVolumeClaim " + p.pod.metadata.namespace_ + "/" + claim +
                    " is not in the input; podlet uses the named volume " + claim +
                    ", creating it if needed");
    }
  }
}

}  // namespace

void validate_references(PodContext& p) {
  const auto& spec = p.pod.spec;
  for (size_t i = 0; i < spec.init_containers.size(); ++i) {
    check_container(p, spec.init_containers[i], item(child(p.spec, "initContainers"), i));
  }
  for (size_t i = 0; i < spec.containers.size(); ++i) {
    check_container(p, spec.containers[i], item(child(p.spec, "containers"), i));
  }
  for (size_t i = 0; i < spec.volumes.size(); ++i)
    check_volume(p, spec.volumes[i], item(child(p.spec, "volumes"), i));
}

}  // namespace podlet::manifest::detail
