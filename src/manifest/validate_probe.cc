// Probes, lifecycle handlers, security contexts and downward API selectors.
#include "manifest/names.h"
#include "manifest/validate_internal.h"

namespace podlet::manifest::detail {
namespace {

void validate_port(Checker& ck, const IntOrString& port, const std::string& path) {
  if (port.is_int) {
    if (std::string why = check_port_number(port.int_value); !why.empty()) {
      ck.invalid(path, std::to_string(port.int_value), why);
    }
  } else if (std::string why = check_port_name(port.str_value); !why.empty()) {
    ck.invalid(path, port.str_value, why);
  }
}

void validate_http_get(Checker& ck, const HTTPGetAction& h, const std::string& path) {
  validate_port(ck, h.port, child(path, "port"));
  ck.one_of(child(path, "scheme"), h.scheme, {"HTTP", "HTTPS"});
  for (size_t i = 0; i < h.http_headers.size(); ++i) {
    const std::string hp = item(child(path, "httpHeaders"), i);
    ck.name(child(hp, "name"), h.http_headers[i].name, check_http_header_name);
  }
}

void validate_exec(Checker& ck, const ExecAction& e, const std::string& path) {
  if (e.command.empty()) ck.required(child(path, "command"));
}

void validate_tcp(Checker& ck, const TCPSocketAction& t, const std::string& path) {
  validate_port(ck, t.port, child(path, "port"));
}

// Kubernetes counts the handlers that are set: none is "must specify a handler type",
// more than one is "may not specify more than 1 handler type".
void count_handlers(Checker& ck, int count, const std::string& path) {
  if (count == 0) ck.error(path, "Required value: must specify a handler type");
  if (count > 1) ck.forbidden(path, "may not specify more than 1 handler type");
}

void validate_lifecycle_handler(Checker& ck, const LifecycleHandler& h, const std::string& path,
                                int64_t grace) {
  count_handlers(ck, !!h.exec + !!h.http_get + !!h.tcp_socket + !!h.sleep, path);
  if (h.exec) validate_exec(ck, *h.exec, child(path, "exec"));
  if (h.http_get) validate_http_get(ck, *h.http_get, child(path, "httpGet"));
  if (h.tcp_socket) validate_tcp(ck, *h.tcp_socket, child(path, "tcpSocket"));
  if (h.sleep && (h.sleep->seconds <= 0 || h.sleep->seconds > grace)) {
    ck.invalid(
        child(child(path, "sleep"), "seconds"), std::to_string(h.sleep->seconds),
        "must be greater than 0 and less than terminationGracePeriodSeconds (" + std::to_string(grace) + ")");
  }
}

void validate_seccomp(Checker& ck, const SeccompProfile& s, const std::string& path) {
  if (!ck.one_of(child(path, "type"), s.type, {"RuntimeDefault", "Unconfined", "Localhost"})) return;
  if (s.type == "Localhost" && s.localhost_profile.empty()) ck.required(child(path, "localhostProfile"));
  if (s.type != "Localhost" && !s.localhost_profile.empty()) {
    ck.invalid(child(path, "localhostProfile"), s.localhost_profile,
               "can only be set when seccomp type is Localhost");
  }
}

void validate_id(Checker& ck, std::optional<int64_t> id, const std::string& path) {
  if (id && (*id < 0 || *id > 2147483647)) {
    ck.invalid(path, std::to_string(*id), "must be between 0 and 2147483647, inclusive");
  }
}

}  // namespace

void validate_probe(Checker& ck, const Probe& p, const std::string& path, bool readiness) {
  const auto& h = p.handler;
  count_handlers(ck, !!h.exec + !!h.http_get + !!h.tcp_socket + !!h.grpc, path);
  if (h.exec) validate_exec(ck, *h.exec, child(path, "exec"));
  if (h.http_get) validate_http_get(ck, *h.http_get, child(path, "httpGet"));
  if (h.tcp_socket) validate_tcp(ck, *h.tcp_socket, child(path, "tcpSocket"));
  if (h.grpc) {
    if (std::string why = check_port_number(h.grpc->port); !why.empty()) {
      ck.invalid(child(child(path, "grpc"), "port"), std::to_string(h.grpc->port), why);
    }
  }
  ck.non_negative(child(path, "initialDelaySeconds"), p.initial_delay_seconds);
  ck.non_negative(child(path, "timeoutSeconds"), p.timeout_seconds);
  ck.non_negative(child(path, "periodSeconds"), p.period_seconds);
  ck.non_negative(child(path, "successThreshold"), p.success_threshold);
  ck.non_negative(child(path, "failureThreshold"), p.failure_threshold);
  if (!readiness && p.success_threshold != 1) {
    ck.invalid(child(path, "successThreshold"), std::to_string(p.success_threshold), "must be 1");
  }
  if (p.termination_grace_period_seconds) {
    if (readiness) {
      ck.invalid(child(path, "terminationGracePeriodSeconds"),
                 std::to_string(*p.termination_grace_period_seconds), "must not be set for readinessProbes");
    } else if (*p.termination_grace_period_seconds <= 0) {
      ck.invalid(child(path, "terminationGracePeriodSeconds"),
                 std::to_string(*p.termination_grace_period_seconds), "must be greater than 0");
    }
  }
}

void validate_lifecycle(Checker& ck, const Lifecycle& l, const std::string& path, int64_t grace) {
  if (l.post_start) validate_lifecycle_handler(ck, *l.post_start, child(path, "postStart"), grace);
  if (l.pre_stop) validate_lifecycle_handler(ck, *l.pre_stop, child(path, "preStop"), grace);
  if (!l.stop_signal.empty() && l.stop_signal.rfind("SIG", 0) != 0) {
    ck.invalid(child(path, "stopSignal"), l.stop_signal, "must be a signal name such as SIGTERM");
  }
}

void validate_security_context(Checker& ck, const SecurityContext& sc, const std::string& path) {
  validate_id(ck, sc.run_as_user, child(path, "runAsUser"));
  validate_id(ck, sc.run_as_group, child(path, "runAsGroup"));
  if (sc.proc_mount) ck.one_of(child(path, "procMount"), *sc.proc_mount, {"Default", "Unmasked"});
  if (sc.seccomp_profile) validate_seccomp(ck, *sc.seccomp_profile, child(path, "seccompProfile"));
  if (sc.allow_privilege_escalation && !*sc.allow_privilege_escalation) {
    if (sc.privileged.value_or(false)) {
      ck.invalid(path, "", "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
    }
    if (sc.capabilities) {
      for (const auto& cap : sc.capabilities->add) {
        if (cap == "SYS_ADMIN" || cap == "CAP_SYS_ADMIN") {
          ck.invalid(path, "",
                     "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
        }
      }
    }
  }
  if (sc.capabilities) {
    for (const auto* list : {&sc.capabilities->add, &sc.capabilities->drop}) {
      const std::string lp =
          child(child(path, "capabilities"), list == &sc.capabilities->add ? "add" : "drop");
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string& cap = (*list)[i];
        bool ok = !cap.empty();
        for (char ch : cap) {
          if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_')) ok = false;
        }
        if (!ok) ck.invalid(item(lp, i), cap, "must be a capability name such as NET_ADMIN");
      }
    }
  }
}

void validate_object_field_selector(Checker& ck, const ObjectFieldSelector& s, const std::string& path,
                                    bool for_env) {
  const std::string fp = child(path, "fieldPath");
  ck.one_of(child(path, "apiVersion"), s.api_version, {"v1"});
  if (s.field_path.empty()) {
    ck.required(fp);
    return;
  }
  // metadata.labels['key'] and metadata.annotations['key'] select one entry.
  for (std::string_view prefix : {"metadata.labels['", "metadata.annotations['"}) {
    if (s.field_path.rfind(prefix, 0) == 0 && s.field_path.size() > prefix.size() + 2 &&
        s.field_path.substr(s.field_path.size() - 2) == "']") {
      const std::string key = s.field_path.substr(prefix.size(), s.field_path.size() - prefix.size() - 2);
      if (std::string why = check_qualified_name(key); !why.empty()) ck.invalid(fp, key, why);
      return;
    }
  }
  if (for_env) {
    ck.one_of(
        fp, s.field_path,
        {"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
         "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"});
  } else {
    ck.one_of(
        fp, s.field_path,
        {"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"});
  }
}

void validate_resource_field_selector(PodContext& p, const ResourceFieldSelector& s, const std::string& path,
                                      bool for_env) {
  Checker& ck = p.ck;
  if (s.container_name.empty()) {
    if (!for_env) ck.required(child(path, "containerName"));
  } else {
    bool found = false;
    for (const Container* c : p.pod.all_containers()) found = found || c->name == s.container_name;
    if (!found) ck.not_found(child(path, "containerName"), s.container_name);
  }
  const std::string rp = child(path, "resource");
  if (s.resource.empty()) {
    ck.required(rp);
    return;
  }
  if (s.resource.rfind("limits.hugepages-", 0) != 0 && s.resource.rfind("requests.hugepages-", 0) != 0 &&
      !ck.one_of(rp, s.resource,
                 {"limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu",
                  "requests.memory", "requests.ephemeral-storage"})) {
    return;
  }
  const bool cpu = s.resource.find(".cpu") != std::string::npos;
  const std::string dp = child(path, "divisor");
  if (cpu) {
    if (s.divisor.milli != 1 && s.divisor.milli != 1000)
      ck.invalid(dp, s.divisor.text, "only divisor's values 1m and 1 are supported with the cpu resource");
  } else {
    static const char* kMemory[] = {"1",   "1k",  "1M",  "1G",  "1T",  "1P", "1E",
                                    "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"};
    bool ok = false;
    for (const char* d : kMemory) ok = ok || compare(s.divisor, *parse_quantity(d)) == 0;
    if (!ok)
      ck.invalid(dp, s.divisor.text,
                 "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are "
                 "supported with the memory resource");
  }
}

}  // namespace podlet::manifest::detail
