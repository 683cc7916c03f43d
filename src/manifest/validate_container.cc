// Container validation: names, image, ports, env, mounts, resources.
#include "manifest/names.h"
#include "manifest/validate_internal.h"

namespace podlet::manifest::detail {
namespace {

void validate_ports(Checker& ck, const Container& c, const std::string& path) {
  std::set<std::string> names;
  for (size_t i = 0; i < c.ports.size(); ++i) {
    const auto& port = c.ports[i];
    const std::string p = item(child(path, "ports"), i);
    if (!port.name.empty()) {
      if (ck.name(child(p, "name"), port.name, check_port_name) && !names.insert(port.name).second) {
        ck.duplicate(child(p, "name"), port.name);
      }
    }
    if (port.container_port == 0) {
      ck.required(child(p, "containerPort"));
    } else if (std::string why = check_port_number(port.container_port); !why.empty()) {
      ck.invalid(child(p, "containerPort"), std::to_string(port.container_port), why);
    }
    if (port.host_port != 0) {
      if (std::string why = check_port_number(port.host_port); !why.empty()) {
        ck.invalid(child(p, "hostPort"), std::to_string(port.host_port), why);
      }
    }
    ck.one_of(child(p, "protocol"), port.protocol, {"TCP", "UDP", "SCTP"});
    if (!port.host_ip.empty()) {
      if (std::string why = check_ip(port.host_ip); !why.empty())
        ck.invalid(child(p, "hostIP"), port.host_ip, why);
    }
  }
}

void validate_env(PodContext& p, const Container& c, const std::string& path) {
  Checker& ck = p.ck;
  for (size_t i = 0; i < c.env.size(); ++i) {
    const auto& e = c.env[i];
    const std::string ep = item(child(path, "env"), i);
    ck.name(child(ep, "name"), e.name, check_env_var_name);
    if (!e.value_from) continue;
    const auto& from = *e.value_from;
    const std::string fp = child(ep, "valueFrom");
    if (!e.value.empty())
      ck.invalid(child(ep, "value"), e.value, "may not be specified when `value` is not empty");
    const int sources =
        !!from.field_ref + !!from.resource_field_ref + !!from.config_map_key_ref + !!from.secret_key_ref;
    if (sources == 0) {
      ck.error(
          fp,
          "Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
          "`secretKeyRef`");
    } else if (sources > 1) {
      ck.error(fp, "Invalid value: \"\": may not have more than one field specified at a time");
    }
    if (from.field_ref) validate_object_field_selector(ck, *from.field_ref, child(fp, "fieldRef"), true);
    if (from.resource_field_ref) {
      validate_resource_field_selector(p, *from.resource_field_ref, child(fp, "resourceFieldRef"), true);
    }
    if (from.config_map_key_ref) {
      const std::string kp = child(fp, "configMapKeyRef");
      ck.name(child(kp, "name"), from.config_map_key_ref->name, check_dns1123_subdomain);
      ck.name(child(kp, "key"), from.config_map_key_ref->key, check_config_map_key);
    }
    if (from.secret_key_ref) {
      const std::string kp = child(fp, "secretKeyRef");
      ck.name(child(kp, "name"), from.secret_key_ref->name, check_dns1123_subdomain);
      ck.name(child(kp, "key"), from.secret_key_ref->key, check_config_map_key);
    }
  }
  for (size_t i = 0; i < c.env_from.size(); ++i) {
    const auto& e = c.env_from[i];
    const std::string ep = item(child(path, "envFrom"), i);
    if (!e.prefix.empty()) ck.name(child(ep, "prefix"), e.prefix, check_env_var_name);
    const int sources = !!e.config_map_ref + !!e.secret_ref;
    if (sources == 0) ck.error(ep, "Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`");
    if (sources > 1)
      ck.error(ep, "Invalid value: \"\": may not have more than one field specified at a time");
    if (e.config_map_ref)
      ck.name(child(child(ep, "configMapRef"), "name"), e.config_map_ref->name, check_dns1123_subdomain);
    if (e.secret_ref)
      ck.name(child(child(ep, "secretRef"), "name"), e.secret_ref->name, check_dns1123_subdomain);
  }
}

void validate_mounts(PodContext& p, const Container& c, const std::string& path) {
  Checker& ck = p.ck;
  std::set<std::string> paths;
  const bool privileged = c.security_context && c.security_context->privileged.value_or(false);
  for (size_t i = 0; i < c.volume_mounts.size(); ++i) {
    const auto& m = c.volume_mounts[i];
    const std::string mp = item(child(path, "volumeMounts"), i);
    if (m.name.empty()) {
      ck.required(child(mp, "name"));
    } else if (!p.volume_names.count(m.name)) {
      ck.not_found(child(mp, "name"), m.name);
    }
    if (m.mount_path.empty()) {
      ck.required(child(mp, "mountPath"));
    } else if (!paths.insert(m.mount_path).second) {
      ck.invalid(child(mp, "mountPath"), m.mount_path, "must be unique");
    } else if (m.mount_path.front() != '/') {
      // Kubernetes resolves relative mount paths against the image's working dir; podlet cannot.
      ck.invalid(child(mp, "mountPath"), m.mount_path, "must be an absolute path");
    }
    if (!m.sub_path.empty()) {
      if (std::string why = check_relative_path(m.sub_path); !why.empty())
        ck.invalid(child(mp, "subPath"), m.sub_path, why);
    }
    if (!m.sub_path_expr.empty()) {
      if (!m.sub_path.empty())
        ck.invalid(child(mp, "subPathExpr"), m.sub_path_expr,
                   "subPathExpr and subPath are mutually exclusive");
      if (std::string why = check_relative_path(m.sub_path_expr); !why.empty()) {
        ck.invalid(child(mp, "subPathExpr"), m.sub_path_expr, why);
      }
    }
    if (ck.one_of(child(mp, "mountPropagation"), m.mount_propagation,
                  {"None", "HostToContainer", "Bidirectional"}) &&
        m.mount_propagation == "Bidirectional" && !privileged) {
      ck.forbidden(child(mp, "mountPropagation"),
                   "Bidirectional mount propagation is available only to privileged containers");
    }
    if (!m.recursive_read_only.empty() &&
        ck.one_of(child(mp, "recursiveReadOnly"), m.recursive_read_only,
                  {"Disabled", "IfPossible", "Enabled"}) &&
        m.recursive_read_only != "Disabled") {
      if (!m.read_only)
        ck.forbidden(child(mp, "recursiveReadOnly"), "may only be specified when readOnly is true");
      if (m.mount_propagation != "None") {
        ck.forbidden(child(mp, "recursiveReadOnly"),
                     "may only be specified when mountPropagation is None or not specified");
      }
    }
  }
}

bool is_standard_resource(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" || name.rfind("hugepages-", 0) == 0;
}

void validate_resources(Checker& ck, const ResourceRequirements& r, const std::string& path) {
  auto check_names = [&](const std::map<std::string, Quantity>& list, const std::string& lp) {
    for (const auto& [name, q] : list) {
      const std::string rp = child(lp, name);
      if (!is_standard_resource(name)) {
        if (std::string why = check_qualified_name(name); !why.empty()) {
          ck.invalid(rp, name, why);
        } else if (name.find('/') == std::string::npos) {
          ck.invalid(rp, name, "must be a standard resource type or fully qualified");
        } else {
          ck.warn(rp, "podlet does not honour extended resources; ignored");
        }
      }
      if (q.negative()) ck.invalid(rp, q.text, "must be greater than or equal to 0");
      if (name == "cpu" && q.milli != 0 && q.milli < 1 && !q.negative())
        ck.invalid(rp, q.text, "must be at least 1m");
    }
  };
  check_names(r.limits, child(path, "limits"));
  check_names(r.requests, child(path, "requests"));
  for (const auto& [name, request] : r.requests) {
    auto limit = r.limits.find(name);
    if (limit == r.limits.end()) continue;
    if (compare(request, limit->second) > 0) {
      ck.invalid(child(child(path, "requests"), name), request.text,
                 "must be less than or equal to " + name + " limit of " + limit->second.text);
    }
  }
}

}  // namespace

void validate_container(PodContext& p, const Container& c, const std::string& path, ContainerKind kind) {
  Checker& ck = p.ck;
  if (ck.name(child(path, "name"), c.name, check_dns1123_label) && !p.container_names.insert(c.name).second) {
    ck.duplicate(child(path, "name"), c.name);
  }
  if (c.image.empty()) {
    ck.required(child(path, "image"));
  } else if (c.image.find_first_not_of(" \t\r\n") != 0 ||
             c.image.find_last_not_of(" \t\r\n") != c.image.size() - 1) {
    ck.invalid(child(path, "image"), c.image, "must not have leading or trailing whitespace");
  }
  ck.one_of(child(path, "imagePullPolicy"), c.image_pull_policy, {"Always", "IfNotPresent", "Never"});
  ck.one_of(child(path, "terminationMessagePolicy"), c.termination_message_policy,
            {"File", "FallbackToLogsOnError"});
  if (c.termination_message_path.size() > 4096) {
    ck.error(child(path, "terminationMessagePath"), "Too long: must have at most 4096 bytes");
  }
  if (kind == ContainerKind::kApp && !c.restart_policy.empty()) {
    ck.forbidden(child(path, "restartPolicy"), "may not be set for non-init containers");
  }
  if (kind != ContainerKind::kApp && !c.restart_policy.empty()) {
    ck.one_of(child(path, "restartPolicy"), c.restart_policy, {"Always"});
  }
  validate_ports(ck, c, path);
  validate_env(p, c, path);
  validate_mounts(p, c, path);
  validate_resources(ck, c.resources, child(path, "resources"));
  if (!c.volume_devices.empty()) {
    for (size_t i = 0; i < c.volume_devices.size(); ++i) {
      const auto& d = c.volume_devices[i];
      const std::string dp = item(child(path, "volumeDevices"), i);
      if (!p.volume_names.count(d.name)) ck.not_found(child(dp, "name"), d.name);
    }
  }
  if (kind == ContainerKind::kInit) {
    // Regular init containers run to completion: probes and lifecycle hooks make no sense.
    for (auto [probe, key] : {std::pair{&c.liveness_probe, "livenessProbe"},
                              {&c.readiness_probe, "readinessProbe"},
                              {&c.startup_probe, "startupProbe"}}) {
      if (*probe)
        ck.forbidden(child(path, key), "may not be set for init containers without restartPolicy=Always");
    }
    if (c.lifecycle)
      ck.forbidden(child(path, "lifecycle"),
                   "may not be set for init containers without restartPolicy=Always");
  } else {
    if (c.liveness_probe) validate_probe(ck, *c.liveness_probe, child(path, "livenessProbe"), false);
    if (c.startup_probe) validate_probe(ck, *c.startup_probe, child(path, "startupProbe"), false);
    if (c.readiness_probe) {
      if (kind == ContainerKind::kApp || kind == ContainerKind::kSidecar) {
        validate_probe(ck, *c.readiness_probe, child(path, "readinessProbe"), true);
      }
    }
    if (c.lifecycle) {
      validate_lifecycle(ck, *c.lifecycle, child(path, "lifecycle"),
                         p.pod.spec.termination_grace_period_seconds);
    }
  }
  if (c.security_context) validate_security_context(ck, *c.security_context, child(path, "securityContext"));
  // As Kubernetes: an unmasked /proc only for a pod in a user namespace of its own.
  if (c.security_context && c.security_context->proc_mount == "Unmasked" &&
      p.pod.spec.host_users.value_or(true))
    ck.invalid(child(child(path, "securityContext"), "procMount"), "Unmasked",
               "`hostUsers` must be false to use `Unmasked`");
  if (c.stdin_once && !c.stdin) ck.invalid(child(path, "stdinOnce"), "true", "requires stdin to be true");
}

}  // namespace podlet::manifest::detail
