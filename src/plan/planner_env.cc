// Container environment, as kubelet builds it (makeEnvironmentVariables) and the
// CRI runtime merges it over the image's env.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "manifest/expand.h"
#include "plan/planner_internal.h"

namespace podlet::plan::detail {

namespace {

constexpr const char* kDefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Sets name=value: replaces an earlier definition in place (last wins, first position kept).
void set(EnvList& env, const std::string& name, std::string value) {
  for (auto& [k, v] : env)
    if (k == name) {
      v = std::move(value);
      return;
    }
  env.emplace_back(name, std::move(value));
}

// kubelet skips envFrom keys that are not valid env var names (and records an event).
bool valid_env_name(const std::string& name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char ch) { return ch >= 0x20 && ch < 0x7f && ch != '='; });
}

// "metadata.labels['key']" -> "key" when `field` is metadata.labels / metadata.annotations.
std::optional<std::string> subscript(const std::string& path, const std::string& field) {
  std::string prefix = field + "['";
  if (!path.starts_with(prefix) || !path.ends_with("']")) return std::nullopt;
  return path.substr(prefix.size(), path.size() - prefix.size() - 2);
}

// metadata.labels as the downward API writes them: sorted key="value" lines.
std::string format_map(const std::map<std::string, std::string>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += fmt::format("{}=\"{}\"\n", k, v);
  return out;
}

void add_env_from(const PodContext& pod, const manifest::EnvFromSource& src, const std::string& path,
                  EnvList& env) {
  const std::map<std::string, std::string>* data = nullptr;
  bool optional = false;
  std::string what;
  if (src.config_map_ref) {
    optional = src.config_map_ref->optional;
    what = "ConfigMap " + src.config_map_ref->name;
    if (auto* cm = pod.objects.find_config_map(pod.ns(), src.config_map_ref->name)) data = &cm->data;
  } else if (src.secret_ref) {
    optional = src.secret_ref->optional;
    what = "Secret " + src.secret_ref->name;
    if (auto* s = pod.objects.find_secret(pod.ns(), src.secret_ref->name)) data = &s->data;
  } else {
    return;
  }
  if (!data) {
    if (optional) return;
    pod.fail(path, fmt::format("{} not found in namespace {}", what, pod.ns()));
  }
  for (const auto& [key, value] : *data) {
    std::string name = src.prefix + key;
    if (valid_env_name(name)) set(env, name, value);
  }
}

// The value of one env var's valueFrom; nullopt when an optional reference is missing.
std::optional<std::string> value_from(const PodContext& pod, const manifest::Container& c,
                                      const manifest::EnvVarSource& src, const std::string& path,
                                      bool* uses_pod_ip) {
  if (src.field_ref) return field_ref_value(pod, *src.field_ref, path + ".fieldRef", uses_pod_ip);
  if (src.resource_field_ref)
    return resource_field_value(pod, c, *src.resource_field_ref, path + ".resourceFieldRef");
  if (src.config_map_key_ref) {
    const auto& ref = *src.config_map_key_ref;
    const auto* cm = pod.objects.find_config_map(pod.ns(), ref.name);
    if (cm) {
      if (auto it = cm->data.find(ref.key); it != cm->data.end()) return it->second;
      if (auto it = cm->binary_data.find(ref.key); it != cm->binary_data.end()) return it->second;
    }
    if (ref.optional) return std::nullopt;
    pod.fail(path + ".configMapKeyRef",
             cm ? fmt::format("key {} not found in ConfigMap {}", ref.key, ref.name)
                : fmt::format("ConfigMap {} not found in namespace {}", ref.name, pod.ns()));
  }
  if (src.secret_key_ref) {
    const auto& ref = *src.secret_key_ref;
    const auto* s = pod.objects.find_secret(pod.ns(), ref.name);
    if (s) {
      if (auto it = s->data.find(ref.key); it != s->data.end()) return it->second;
    }
    if (ref.optional) return std::nullopt;
    pod.fail(path + ".secretKeyRef",
             s ? fmt::format("key {} not found in Secret {}", ref.key, ref.name)
               : fmt::format("Secret {} not found in namespace {}", ref.name, pod.ns()));
  }
  return std::string();
}

}  // namespace

std::optional<std::string> lookup(const EnvList& env, std::string_view name) {
  for (const auto& [k, v] : env)
    if (k == name) return v;
  return std::nullopt;
}

std::string field_ref_value(const PodContext& pod, const manifest::ObjectFieldSelector& ref,
                            const std::string& path, bool* uses_pod_ip) {
  const auto& meta = pod.pod.metadata;
  const std::string& f = ref.field_path;
  if (f == "metadata.name") return meta.name;
  if (f == "metadata.namespace") return meta.namespace_;
  if (f == "metadata.uid") return meta.uid;
  if (f == "metadata.labels") return format_map(meta.labels);
  if (f == "metadata.annotations") return format_map(meta.annotations);
  if (auto key = subscript(f, "metadata.labels")) {
    auto it = meta.labels.find(*key);
    return it == meta.labels.end() ? "" : it->second;
  }
  if (auto key = subscript(f, "metadata.annotations")) {
    auto it = meta.annotations.find(*key);
    return it == meta.annotations.end() ? "" : it->second;
  }
  if (f == "spec.nodeName") return pod.options.node_name;
  if (f == "spec.serviceAccountName") return pod.pod.spec.service_account_name;
  if (f == "status.hostIP" || f == "status.hostIPs") return pod.options.host_ip;
  if (f == "status.podIP" || f == "status.podIPs") {
    if (pod.pod.spec.host_network) return pod.options.host_ip;
    if (uses_pod_ip) *uses_pod_ip = true;
    return pod.options.pod_ip;
  }
  pod.fail(path + ".fieldPath", fmt::format("unsupported field path {}", f));
}

std::string resource_field_value(const PodContext& pod, const manifest::Container& c,
                                 const manifest::ResourceFieldSelector& ref, const std::string& path) {
  const manifest::Container* target = &c;
  if (!ref.container_name.empty() && ref.container_name != c.name) {
    target = nullptr;
    for (const auto* other : pod.pod.all_containers())
      if (other->name == ref.container_name) target = other;
    if (!target) pod.fail(path + ".containerName", fmt::format("no container named {}", ref.container_name));
  }
  auto dot = ref.resource.find('.');
  if (dot == std::string::npos)
    pod.fail(path + ".resource", fmt::format("unsupported resource {}", ref.resource));
  std::string kind = ref.resource.substr(0, dot), name = ref.resource.substr(dot + 1);
  const auto& list = kind == "limits" ? target->resources.limits : target->resources.requests;
  auto it = list.find(name);
  const bool is_cpu = name == "cpu";
  int64_t milli = 0, value = 0;
  if (it != list.end()) {
    milli = it->second.milli;
    value = it->second.value;
  } else if (kind == "limits" && is_cpu) {
    milli = pod.options.node_cpu_millis;  // no limit: the node's capacity, as kubelet does
  } else if (kind == "limits" && name == "memory") {
    value = pod.options.node_memory_bytes;
  }
  // kubelet rounds up: ceil(quantity / divisor), CPU in milli units.
  if (is_cpu) {
    int64_t d = std::max<int64_t>(ref.divisor.milli, 1);
    return std::to_string((milli + d - 1) / d);
  }
  int64_t d = std::max<int64_t>(ref.divisor.value, 1);
  return std::to_string((value + d - 1) / d);
}

ManifestEnv manifest_env(const PodContext& pod, const ContainerContext& c) {
  ManifestEnv out;
  for (size_t i = 0; i < c.c.env_from.size(); ++i)
    add_env_from(pod, c.c.env_from[i], fmt::format("{}.envFrom[{}]", c.path, i), out.vars);
  for (size_t i = 0; i < c.c.env.size(); ++i) {
    const auto& var = c.c.env[i];
    std::string path = fmt::format("{}.env[{}]", c.path, i);
    if (var.value_from) {
      auto v = value_from(pod, c.c, *var.value_from, path + ".valueFrom", &out.uses_pod_ip);
      if (v) set(out.vars, var.name, *v);
      continue;
    }
    // Only variables defined before this one can be referenced: it is set after expansion.
    std::string value =
        manifest::expand_vars(var.value, [&](std::string_view name) { return lookup(out.vars, name); });
    set(out.vars, var.name, std::move(value));
  }
  return out;
}

std::vector<std::string> merge_env(const std::vector<std::string>& image_env, const EnvList& manifest,
                                   bool tty) {
  EnvList env;
  for (const auto& kv : image_env) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    set(env, kv.substr(0, eq), kv.substr(eq + 1));
  }
  for (const auto& [k, v] : manifest) set(env, k, v);
  std::vector<std::string> out;
  if (!lookup(env, "PATH")) out.emplace_back(kDefaultPath);
  if (tty && !lookup(env, "TERM")) out.emplace_back("TERM=xterm");
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

}  // namespace podlet::plan::detail
