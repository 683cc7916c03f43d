// Decoders for object metadata and the pod spec.
#include "manifest/decode.h"

namespace podlet::manifest::detail {

void decode(DocContext& c, const Node* n, const std::string& path, ObjectMeta& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("generateName", out.generate_name);
  f.get("namespace", out.namespace_);
  if (out.namespace_.empty()) out.namespace_ = "default";
  f.get("labels", out.labels);
  f.get("annotations", out.annotations);
  f.get("uid", out.uid);
  // Written by the API server; exported manifests carry them. They change nothing.
  for (auto key : {"resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                   "deletionGracePeriodSeconds", "selfLink", "managedFields"}) {
    f.accept(key);
  }
  f.not_honoured("ownerReferences", "no garbage collector");
  f.not_honoured("finalizers", "no controllers");
}

namespace {

// Fields with meaning only in a cluster (scheduling, service accounts, ...): podlet
// accepts them and says that it ignores them.
void note_not_honoured(Fields& f, PodSpec& out) {
  static constexpr std::pair<std::string_view, std::string_view> kIgnored[] = {
      {"affinity", "there is one node"},
      {"tolerations", "there is one node"},
      {"topologySpreadConstraints", "there is one node"},
      {"nodeSelector", "there is one node"},
      {"nodeName", "there is one node"},
      {"priorityClassName", "no scheduler"},
      {"priority", "no scheduler"},
      {"preemptionPolicy", "no scheduler"},
      {"schedulingGates", "no scheduler"},
      {"serviceAccountName", "no service accounts without a cluster"},
      {"serviceAccount", "no service accounts without a cluster"},
      {"readinessGates", "no cluster conditions"},
      {"runtimeClassName", "one runtime"},
      {"overhead", "one runtime"},
      {"resourceClaims", "dynamic resource allocation needs a cluster"},
      {"resources", "pod-level resources: set resources per container"},
  };
  for (const auto& [key, why] : kIgnored) {
    if (f.has(key)) out.ignored_fields.emplace_back(key);
    f.not_honoured(key, why);
  }
}

}  // namespace

void decode(DocContext& c, const Node* n, const std::string& path, PodSpec& out) {
  Fields f(c, n, path);
  f.get("volumes", out.volumes);
  f.get("initContainers", out.init_containers);
  f.get("containers", out.containers);
  if (const Node* v = f.take("ephemeralContainers")) {
    c.error(v, f.path("ephemeralContainers"), "ephemeral containers cannot be set when a pod is created");
  }
  f.get("restartPolicy", out.restart_policy);
  std::optional<int64_t> grace;
  f.get("terminationGracePeriodSeconds", grace);
  // Kubernetes turns a negative grace period into 1 second.
  if (grace) out.termination_grace_period_seconds = *grace < 0 ? 1 : *grace;
  f.get("activeDeadlineSeconds", out.active_deadline_seconds);
  f.get("dnsPolicy", out.dns_policy);
  f.get("automountServiceAccountToken", out.automount_service_account_token);
  f.get("hostNetwork", out.host_network);
  f.get("hostPID", out.host_pid);
  f.get("hostIPC", out.host_ipc);
  f.get("shareProcessNamespace", out.share_process_namespace);
  f.get("hostUsers", out.host_users);
  f.get("securityContext", out.security_context);
  f.get("imagePullSecrets", out.image_pull_secrets);
  f.get("hostname", out.hostname);
  f.get("subdomain", out.subdomain);
  f.get("setHostnameAsFQDN", out.set_hostname_as_fqdn);
  f.get("hostAliases", out.host_aliases);
  f.get("dnsConfig", out.dns_config);
  f.get("enableServiceLinks", out.enable_service_links);
  f.get("schedulerName", out.scheduler_name);
  if (const Node* os = f.take("os")) {
    Fields of(c, os, f.path("os"));
    of.get("name", out.os_name);
  }
  // Decoded for validation, then reported as not honoured.
  f.get("nodeSelector", out.node_selector);
  f.get("serviceAccountName", out.service_account_name);
  f.get("nodeName", out.node_name);
  f.get("priorityClassName", out.priority_class_name);
  f.get("priority", out.priority);
  f.get("runtimeClassName", out.runtime_class_name);
  note_not_honoured(f, out);
}

}  // namespace podlet::manifest::detail
