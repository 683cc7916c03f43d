// Pod-level validation and the public entry points of validate.h.
#include "manifest/names.h"
#include "manifest/validate.h"
#include "manifest/validate_internal.h"

namespace podlet::manifest {
namespace detail {
namespace {

void validate_meta(Checker& ck, const ObjectMeta& meta, const std::string& path, bool name_required = true) {
  if (name_required || !meta.name.empty()) ck.name(child(path, "name"), meta.name, check_dns1123_subdomain);
  ck.name(child(path, "namespace"), meta.namespace_, check_dns1123_label);
  ck.labels(child(path, "labels"), meta.labels);
  ck.annotations(child(path, "annotations"), meta.annotations);
}

void validate_dns(Checker& ck, const PodSpec& spec, const std::string& path) {
  ck.one_of(child(path, "dnsPolicy"), spec.dns_policy,
            {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"});
  if (spec.dns_policy == "None" && (!spec.dns_config || spec.dns_config->nameservers.empty())) {
    ck.required(child(child(path, "dnsConfig"), "nameservers"));
  }
  if (!spec.dns_config) return;
  const std::string dp = child(path, "dnsConfig");
  const auto& dns = *spec.dns_config;
  if (dns.nameservers.size() > 3)
    ck.invalid(child(dp, "nameservers"), "", "must not have more than 3 nameservers");
  for (size_t i = 0; i < dns.nameservers.size(); ++i) {
    if (std::string why = check_ip(dns.nameservers[i]); !why.empty()) {
      ck.invalid(item(child(dp, "nameservers"), i), dns.nameservers[i], why);
    }
  }
  if (dns.searches.size() > 32)
    ck.invalid(child(dp, "searches"), "", "must not have more than 32 search paths");
  for (size_t i = 0; i < dns.searches.size(); ++i) {
    std::string domain = dns.searches[i];
    if (!domain.empty() && domain.back() == '.') domain.pop_back();  // a fully qualified search domain
    ck.name(item(child(dp, "searches"), i), domain, check_dns1123_subdomain);
  }
  for (size_t i = 0; i < dns.options.size(); ++i) {
    if (dns.options[i].name.empty()) ck.required(child(item(child(dp, "options"), i), "name"));
  }
}

void validate_pod_security_context(Checker& ck, const PodSecurityContext& sc, const std::string& path) {
  for (auto [id, key] :
       {std::pair{sc.run_as_user, "runAsUser"}, {sc.run_as_group, "runAsGroup"}, {sc.fs_group, "fsGroup"}}) {
    if (id && (*id < 0 || *id > 2147483647)) {
      ck.invalid(child(path, key), std::to_string(*id), "must be between 0 and 2147483647, inclusive");
    }
  }
  for (size_t i = 0; i < sc.supplemental_groups.size(); ++i) {
    const int64_t g = sc.supplemental_groups[i];
    if (g < 0 || g > 2147483647) {
      ck.invalid(item(child(path, "supplementalGroups"), i), std::to_string(g),
                 "must be between 0 and 2147483647, inclusive");
    }
  }
  if (sc.fs_group_change_policy)
    ck.one_of(child(path, "fsGroupChangePolicy"), *sc.fs_group_change_policy, {"OnRootMismatch", "Always"});
  if (sc.supplemental_groups_policy)
    ck.one_of(child(path, "supplementalGroupsPolicy"), *sc.supplemental_groups_policy, {"Merge", "Strict"});
  std::set<std::string> names;
  for (size_t i = 0; i < sc.sysctls.size(); ++i) {
    const std::string sp = child(item(child(path, "sysctls"), i), "name");
    if (ck.name(sp, sc.sysctls[i].name, check_sysctl_name) && !names.insert(sc.sysctls[i].name).second) {
      ck.duplicate(sp, sc.sysctls[i].name);
    }
  }
  if (sc.seccomp_profile) {
    SecurityContext container_like;
    container_like.seccomp_profile = sc.seccomp_profile;
    validate_security_context(ck, container_like, path);
  }
}

// A host port can be taken once per protocol and address in the pod.
void validate_host_ports(Checker& ck, const PodSpec& spec, const std::string& path) {
  std::set<std::string> seen;
  auto check = [&](const std::vector<Container>& list, const char* key, bool host_network) {
    for (size_t i = 0; i < list.size(); ++i) {
      for (size_t j = 0; j < list[i].ports.size(); ++j) {
        const auto& port = list[i].ports[j];
        const std::string pp = item(child(item(child(path, key), i), "ports"), j);
        if (host_network && port.host_port != port.container_port) {
          ck.invalid(child(pp, "hostPort"), std::to_string(port.host_port),
                     "must match `containerPort` when `hostNetwork` is true");
        }
        if (port.host_port == 0) continue;
        const std::string id = std::to_string(port.host_port) + "/" + port.protocol + "/" + port.host_ip;
        if (!seen.insert(id).second)
          ck.duplicate(child(pp, "hostPort"), std::to_string(port.host_port) + "/" + port.protocol);
      }
    }
  };
  check(spec.init_containers, "initContainers", spec.host_network);
  check(spec.containers, "containers", spec.host_network);
}

void validate_spec(PodContext& p) {
  const PodSpec& spec = p.pod.spec;
  Checker& ck = p.ck;
  const std::string& sp = p.spec;
  validate_volumes(p);
  if (spec.containers.empty()) ck.required(child(sp, "containers"));
  for (size_t i = 0; i < spec.init_containers.size(); ++i) {
    const Container& c = spec.init_containers[i];
    validate_container(p, c, item(child(sp, "initContainers"), i),
                       c.is_sidecar() ? ContainerKind::kSidecar : ContainerKind::kInit);
  }
  for (size_t i = 0; i < spec.containers.size(); ++i) {
    validate_container(p, spec.containers[i], item(child(sp, "containers"), i), ContainerKind::kApp);
  }
  validate_host_ports(ck, spec, sp);
  ck.one_of(child(sp, "restartPolicy"), spec.restart_policy, {"Always", "OnFailure", "Never"});
  ck.non_negative(child(sp, "terminationGracePeriodSeconds"), spec.termination_grace_period_seconds);
  if (spec.active_deadline_seconds && *spec.active_deadline_seconds <= 0) {
    ck.invalid(child(sp, "activeDeadlineSeconds"), std::to_string(*spec.active_deadline_seconds),
               "must be between 1 and 2147483647, inclusive");
  }
  validate_dns(ck, spec, sp);
  if (!spec.hostname.empty()) ck.name(child(sp, "hostname"), spec.hostname, check_dns1123_label);
  if (!spec.subdomain.empty()) ck.name(child(sp, "subdomain"), spec.subdomain, check_dns1123_label);
  for (size_t i = 0; i < spec.host_aliases.size(); ++i) {
    const auto& a = spec.host_aliases[i];
    const std::string ap = item(child(sp, "hostAliases"), i);
    if (std::string why = check_ip(a.ip); !why.empty()) ck.invalid(child(ap, "ip"), a.ip, why);
    for (size_t j = 0; j < a.hostnames.size(); ++j) {
      ck.name(item(child(ap, "hostnames"), j), a.hostnames[j], check_dns1123_subdomain);
    }
  }
  if (spec.share_process_namespace && spec.host_pid) {
    ck.invalid(child(sp, "shareProcessNamespace"), "true",
               "ShareProcessNamespace and HostPID cannot both be enabled");
  }
  validate_pod_security_context(ck, spec.security_context, child(sp, "securityContext"));
  if (!spec.os_name.empty() &&
      ck.one_of(child(child(sp, "os"), "name"), spec.os_name, {"linux", "windows"}) &&
      spec.os_name == "windows") {
    ck.forbidden(child(child(sp, "os"), "name"), "podlet runs Linux pods only");
  }
  for (size_t i = 0; i < spec.image_pull_secrets.size(); ++i) {
    ck.warn(item(child(sp, "imagePullSecrets"), i), "podlet does not honour this field yet; it is ignored");
  }
  if (spec.host_users && !*spec.host_users) {
    ck.warn(child(sp, "hostUsers"),
            "podlet does not support user namespaces yet; the pod uses the host's users");
  }
}

// Workload controllers accept only some restart policies for their pods.
void validate_owner(Checker& ck, const Pod& pod, const std::string& spec_path) {
  if (pod.owner_kind.empty()) return;
  const std::string rp = child(spec_path, "restartPolicy");
  if (pod.owner_kind == "Job" || pod.owner_kind == "CronJob") {
    ck.one_of(rp, pod.spec.restart_policy, {"OnFailure", "Never"});
  } else {
    ck.one_of(rp, pod.spec.restart_policy, {"Always"});
  }
  if (pod.owner_kind != "Job" && pod.owner_kind != "CronJob" && pod.spec.active_deadline_seconds) {
    ck.forbidden(child(spec_path, "activeDeadlineSeconds"),
                 "activeDeadlineSeconds in " + pod.owner_kind + " is not Supported");
  }
}

}  // namespace
}  // namespace detail

void validate_pod(const Pod& pod, const Manifest& m, std::vector<Diagnostic>& out) {
  detail::Checker ck(pod.source, out);
  const std::string meta_path = pod.source.pod_meta_path.empty() ? "metadata" : pod.source.pod_meta_path;
  if (pod.owner_kind.empty()) {
    if (pod.metadata.name.empty() && !pod.metadata.generate_name.empty()) {
      ck.name(detail::child(meta_path, "generateName"), pod.metadata.generate_name, check_dns1123_subdomain);
    } else {
      detail::validate_meta(ck, pod.metadata, meta_path);
    }
  } else {
    // The workload's name makes the pod's name: report it where it was written.
    const std::string prefix = meta_path.substr(0, meta_path.find("spec"));
    ck.name(prefix + "metadata.name", pod.owner_name, check_dns1123_subdomain);
    if (!pod.owner_name.empty() && pod.metadata.name.size() > 253) {
      ck.invalid(prefix + "metadata.name", pod.owner_name,
                 "too long to derive the pod name " + pod.metadata.name);
    }
    ck.name(prefix + "metadata.namespace", pod.metadata.namespace_, check_dns1123_label);
    ck.labels(detail::child(meta_path, "labels"), pod.metadata.labels);
    ck.annotations(detail::child(meta_path, "annotations"), pod.metadata.annotations);
  }
  detail::PodContext ctx{pod, m, ck, pod.source.pod_spec_path.empty() ? "spec" : pod.source.pod_spec_path,
                         {},  {}};
  detail::validate_spec(ctx);
  detail::validate_owner(ck, pod, ctx.spec);
  detail::validate_references(ctx);
}

namespace {
// "items[2]." for an object inside a v1 List, "" for a document of its own.
std::string object_prefix(const Source& s) {
  const size_t at = s.pod_meta_path.rfind("metadata");
  return at == std::string::npos ? std::string() : s.pod_meta_path.substr(0, at);
}
}  // namespace

void validate_config_map(const ConfigMap& cm, std::vector<Diagnostic>& out) {
  detail::Checker ck(cm.source, out);
  const std::string base = object_prefix(cm.source);
  detail::validate_meta(ck, cm.metadata, base + "metadata");
  size_t total = 0;
  for (const auto* data : {&cm.data, &cm.binary_data}) {
    const char* field = data == &cm.data ? "data" : "binaryData";
    for (const auto& [k, v] : *data) {
      if (std::string why = check_config_map_key(k); !why.empty())
        ck.invalid(detail::child(base + field, k), k, why);
      total += v.size();
    }
  }
  for (const auto& [k, v] : cm.binary_data) {
    if (cm.data.count(k))
      ck.invalid(detail::child(base + "binaryData", k), k, "duplicate of key present in data");
  }
  if (total > 1024 * 1024) ck.error(base + "data", "Too long: must have at most 1048576 bytes");
}

void validate_secret(const Secret& s, std::vector<Diagnostic>& out) {
  detail::Checker ck(s.source, out);
  const std::string base = object_prefix(s.source);
  detail::validate_meta(ck, s.metadata, base + "metadata");
  size_t total = 0;
  for (const auto& [k, v] : s.data) {
    if (std::string why = check_config_map_key(k); !why.empty())
      ck.invalid(detail::child(base + "data", k), k, why);
    total += v.size();
  }
  if (total > 1024 * 1024) ck.error(base + "data", "Too long: must have at most 1048576 bytes");
  if (s.type == "kubernetes.io/dockerconfigjson" && !s.data.count(".dockerconfigjson")) {
    ck.required(base + "data[.dockerconfigjson]");
  }
  if (s.type == "kubernetes.io/basic-auth" && !s.data.count("username") && !s.data.count("password")) {
    ck.required(base + "data[username]");
  }
  if (s.type == "kubernetes.io/tls" && (!s.data.count("tls.crt") || !s.data.count("tls.key"))) {
    ck.required(base + (s.data.count("tls.crt") ? "data[tls.key]" : "data[tls.crt]"));
  }
}

void validate_pvc(const PersistentVolumeClaim& pvc, std::vector<Diagnostic>& out) {
  detail::Checker ck(pvc.source, out);
  const std::string base = object_prefix(pvc.source);
  detail::validate_meta(ck, pvc.metadata, base + "metadata");
  if (pvc.access_modes.empty())
    ck.error(base + "spec.accessModes", "Required value: at least 1 access mode is required");
  for (size_t i = 0; i < pvc.access_modes.size(); ++i) {
    ck.one_of(detail::item(base + "spec.accessModes", i), pvc.access_modes[i],
              {"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"});
  }
  if (!pvc.storage_request) {
    ck.required(base + "spec.resources.requests[storage]");
  } else if (pvc.storage_request->milli <= 0) {
    ck.invalid(base + "spec.resources.requests[storage]", pvc.storage_request->text,
               "must be greater than zero");
  }
  ck.one_of(base + "spec.volumeMode", pvc.volume_mode, {"Block", "Filesystem"});
  if (pvc.volume_mode == "Block")
    ck.error(base + "spec.volumeMode", "Unsupported value: \"Block\": podlet has no block volumes");
}

}  // namespace podlet::manifest
