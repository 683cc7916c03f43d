// Pod volumes: names, exactly one source, and each source's own rules.
#include "manifest/names.h"
#include "manifest/validate_internal.h"

namespace podlet::manifest::detail {
namespace {

void validate_mode(Checker& ck, std::optional<int32_t> mode, const std::string& path) {
  if (mode && (*mode < 0 || *mode > 0777)) {
    ck.invalid(path, std::to_string(*mode), "must be a number between 0 and 0777 (octal), both inclusive");
  }
}

void validate_items(Checker& ck, const std::vector<KeyToPath>& items, const std::string& path) {
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string ip = item(path, i);
    ck.name(child(ip, "key"), items[i].key, check_config_map_key);
    if (items[i].path.empty()) {
      ck.required(child(ip, "path"));
    } else if (std::string why = check_relative_path(items[i].path); !why.empty()) {
      ck.invalid(child(ip, "path"), items[i].path, why);
    } else if (items[i].path.rfind("..", 0) == 0) {
      ck.invalid(child(ip, "path"), items[i].path, "must not start with '..'");
    }
    validate_mode(ck, items[i].mode, child(ip, "mode"));
  }
}

void validate_downward_api(PodContext& p, const DownwardAPIVolumeSource& d, const std::string& path) {
  for (size_t i = 0; i < d.items.size(); ++i) {
    const auto& f = d.items[i];
    const std::string ip = item(child(path, "items"), i);
    if (f.path.empty()) {
      p.ck.required(child(ip, "path"));
    } else if (std::string why = check_relative_path(f.path); !why.empty()) {
      p.ck.invalid(child(ip, "path"), f.path, why);
    }
    if (!!f.field_ref + !!f.resource_field_ref != 1) {
      p.ck.invalid(ip, "",
                   "fieldRef and resourceFieldRef can not be specified simultaneously, and one is required");
    }
    if (f.field_ref) validate_object_field_selector(p.ck, *f.field_ref, child(ip, "fieldRef"), false);
    if (f.resource_field_ref)
      validate_resource_field_selector(p, *f.resource_field_ref, child(ip, "resourceFieldRef"), false);
    validate_mode(p.ck, f.mode, child(ip, "mode"));
  }
}

void validate_source(PodContext& p, const Volume& v, const std::string& path) {
  Checker& ck = p.ck;
  const int sources = !!v.empty_dir + !!v.host_path + !!v.config_map + !!v.secret +
                      !!v.persistent_volume_claim + !!v.downward_api + !!v.projected + !!v.image;
  if (sources > 1) ck.forbidden(path, "may not specify more than 1 volume type");
  if (v.empty_dir) {
    const std::string ep = child(path, "emptyDir");
    if (v.empty_dir->medium != "HugePages" && v.empty_dir->medium.rfind("HugePages-", 0) != 0) {
      ck.one_of(child(ep, "medium"), v.empty_dir->medium, {"", "Memory", "HugePages"});
    }
    if (v.empty_dir->size_limit && v.empty_dir->size_limit->negative()) {
      ck.invalid(child(ep, "sizeLimit"), v.empty_dir->size_limit->text, "must be greater than or equal to 0");
    }
  }
  if (v.host_path) {
    const std::string hp = child(path, "hostPath");
    if (v.host_path->path.empty()) {
      ck.required(child(hp, "path"));
    } else if (v.host_path->path.find("..") != std::string::npos &&
               !check_relative_path(v.host_path->path.substr(1)).empty()) {
      ck.invalid(child(hp, "path"), v.host_path->path, "must not contain '..'");
    }
    ck.one_of(child(hp, "type"), v.host_path->type,
              {"", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice",
               "BlockDevice"});
  }
  if (v.config_map) {
    const std::string cp = child(path, "configMap");
    ck.name(child(cp, "name"), v.config_map->name, check_dns1123_subdomain);
    validate_items(ck, v.config_map->items, child(cp, "items"));
    validate_mode(ck, v.config_map->default_mode, child(cp, "defaultMode"));
  }
  if (v.secret) {
    const std::string sp = child(path, "secret");
    ck.name(child(sp, "secretName"), v.secret->secret_name, check_dns1123_subdomain);
    validate_items(ck, v.secret->items, child(sp, "items"));
    validate_mode(ck, v.secret->default_mode, child(sp, "defaultMode"));
  }
  if (v.persistent_volume_claim && v.persistent_volume_claim->claim_name.empty()) {
    ck.required(child(child(path, "persistentVolumeClaim"), "claimName"));
  }
  if (v.downward_api) {
    validate_downward_api(p, *v.downward_api, child(path, "downwardAPI"));
    validate_mode(ck, v.downward_api->default_mode, child(child(path, "downwardAPI"), "defaultMode"));
  }
  if (v.projected) {
    const std::string pp = child(path, "projected");
    validate_mode(ck, v.projected->default_mode, child(pp, "defaultMode"));
    for (size_t i = 0; i < v.projected->sources.size(); ++i) {
      const auto& s = v.projected->sources[i];
      const std::string sp = item(child(pp, "sources"), i);
      if (!!s.config_map + !!s.secret + !!s.downward_api + !!s.service_account_token != 1) {
        ck.forbidden(sp, "may not specify more than 1 volume type per source");
      }
      if (s.config_map) {
        ck.name(child(child(sp, "configMap"), "name"), s.config_map->name, check_dns1123_subdomain);
        validate_items(ck, s.config_map->items, child(child(sp, "configMap"), "items"));
      }
      if (s.secret) {
        ck.name(child(child(sp, "secret"), "name"), s.secret->secret_name, check_dns1123_subdomain);
        validate_items(ck, s.secret->items, child(child(sp, "secret"), "items"));
      }
      if (s.downward_api) validate_downward_api(p, *s.downward_api, child(sp, "downwardAPI"));
    }
  }
  if (v.image) {
    if (v.image->reference.empty()) ck.required(child(child(path, "image"), "reference"));
    ck.warn(child(path, "image"), "image volumes are not supported by podlet yet; the volume is ignored");
  }
}

}  // namespace

void validate_volumes(PodContext& p) {
  const std::string vp = child(p.spec, "volumes");
  for (size_t i = 0; i < p.pod.spec.volumes.size(); ++i) {
    const Volume& v = p.pod.spec.volumes[i];
    const std::string path = item(vp, i);
    if (p.ck.name(child(path, "name"), v.name, check_dns1123_label) &&
        !p.volume_names.insert(v.name).second) {
      p.ck.duplicate(child(path, "name"), v.name);
    }
    validate_source(p, v, path);
  }
}

}  // namespace podlet::manifest::detail
