// Decoders for a container and what it is made of: env, ports, mounts, resources,
// probes, lifecycle, security context.
#include "manifest/decode.h"

namespace podlet::manifest::detail {

void decode(DocContext& c, const Node* n, const std::string& path, ObjectFieldSelector& out) {
  Fields f(c, n, path);
  f.get("apiVersion", out.api_version);
  f.get("fieldPath", out.field_path);
}

void decode(DocContext& c, const Node* n, const std::string& path, ResourceFieldSelector& out) {
  Fields f(c, n, path);
  f.get("containerName", out.container_name);
  f.get("resource", out.resource);
  f.get("divisor", out.divisor);
}

void decode(DocContext& c, const Node* n, const std::string& path, ConfigMapKeySelector& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("key", out.key);
  f.get("optional", out.optional);
}

void decode(DocContext& c, const Node* n, const std::string& path, SecretKeySelector& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("key", out.key);
  f.get("optional", out.optional);
}

void decode(DocContext& c, const Node* n, const std::string& path, EnvVarSource& out) {
  Fields f(c, n, path);
  f.get("fieldRef", out.field_ref);
  f.get("resourceFieldRef", out.resource_field_ref);
  f.get("configMapKeyRef", out.config_map_key_ref);
  f.get("secretKeyRef", out.secret_key_ref);
}

void decode(DocContext& c, const Node* n, const std::string& path, EnvVar& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("value", out.value);
  f.get("valueFrom", out.value_from);
}

void decode(DocContext& c, const Node* n, const std::string& path, ConfigMapEnvSource& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("optional", out.optional);
}

void decode(DocContext& c, const Node* n, const std::string& path, SecretEnvSource& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("optional", out.optional);
}

void decode(DocContext& c, const Node* n, const std::string& path, EnvFromSource& out) {
  Fields f(c, n, path);
  f.get("prefix", out.prefix);
  f.get("configMapRef", out.config_map_ref);
  f.get("secretRef", out.secret_ref);
}

void decode(DocContext& c, const Node* n, const std::string& path, ContainerPort& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("containerPort", out.container_port);
  f.get("hostPort", out.host_port);
  f.get("protocol", out.protocol);
  f.get("hostIP", out.host_ip);
}

void decode(DocContext& c, const Node* n, const std::string& path, VolumeMount& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("readOnly", out.read_only);
  f.get("recursiveReadOnly", out.recursive_read_only);
  f.get("mountPath", out.mount_path);
  f.get("subPath", out.sub_path);
  f.get("subPathExpr", out.sub_path_expr);
  f.get("mountPropagation", out.mount_propagation);
}

void decode(DocContext& c, const Node* n, const std::string& path, VolumeDevice& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("devicePath", out.device_path);
}

void decode(DocContext& c, const Node* n, const std::string& path, ResourceRequirements& out) {
  Fields f(c, n, path);
  f.get("limits", out.limits);
  f.get("requests", out.requests);
  f.not_honoured("claims", "dynamic resource allocation needs a cluster");
}

void decode(DocContext& c, const Node* n, const std::string& path, Capabilities& out) {
  Fields f(c, n, path);
  f.get("add", out.add);
  f.get("drop", out.drop);
}

void decode(DocContext& c, const Node* n, const std::string& path, SELinuxOptions& out) {
  Fields f(c, n, path);
  f.get("user", out.user);
  f.get("role", out.role);
  f.get("type", out.type);
  f.get("level", out.level);
}

void decode(DocContext& c, const Node* n, const std::string& path, SeccompProfile& out) {
  Fields f(c, n, path);
  f.get("type", out.type);
  f.get("localhostProfile", out.localhost_profile);
}

void decode(DocContext& c, const Node* n, const std::string& path, AppArmorProfile& out) {
  Fields f(c, n, path);
  f.get("type", out.type);
  f.get("localhostProfile", out.localhost_profile);
}

void decode(DocContext& c, const Node* n, const std::string& path, SecurityContext& out) {
  Fields f(c, n, path);
  f.get("capabilities", out.capabilities);
  f.get("privileged", out.privileged);
  if (f.has("seLinuxOptions")) f.not_honoured("seLinuxOptions", "no SELinux on this host");
  f.get("runAsUser", out.run_as_user);
  f.get("runAsGroup", out.run_as_group);
  f.get("runAsNonRoot", out.run_as_non_root);
  f.get("readOnlyRootFilesystem", out.read_only_root_filesystem);
  f.get("allowPrivilegeEscalation", out.allow_privilege_escalation);
  f.get("procMount", out.proc_mount);
  f.get("seccompProfile", out.seccomp_profile);
  if (f.has("appArmorProfile")) f.not_honoured("appArmorProfile");
  f.not_honoured("windowsOptions", "Linux only");
}

void decode(DocContext& c, const Node* n, const std::string& path, ExecAction& out) {
  Fields f(c, n, path);
  f.get("command", out.command);
}

void decode(DocContext& c, const Node* n, const std::string& path, HTTPHeader& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("value", out.value);
}

void decode(DocContext& c, const Node* n, const std::string& path, HTTPGetAction& out) {
  Fields f(c, n, path);
  f.get("path", out.path);
  f.get("port", out.port);
  f.get("host", out.host);
  f.get("scheme", out.scheme);
  f.get("httpHeaders", out.http_headers);
}

void decode(DocContext& c, const Node* n, const std::string& path, TCPSocketAction& out) {
  Fields f(c, n, path);
  f.get("port", out.port);
  f.get("host", out.host);
}

void decode(DocContext& c, const Node* n, const std::string& path, GRPCAction& out) {
  Fields f(c, n, path);
  f.get("port", out.port);
  f.get("service", out.service);
}

void decode(DocContext& c, const Node* n, const std::string& path, SleepAction& out) {
  Fields f(c, n, path);
  f.get("seconds", out.seconds);
}

void decode(DocContext& c, const Node* n, const std::string& path, Probe& out) {
  Fields f(c, n, path);
  // Zero means "use the default" (Kubernetes defaulting), so read into zeroed fields.
  out = Probe{{}, 0, 0, 0, 0, 0, std::nullopt};
  f.get("exec", out.handler.exec);
  f.get("httpGet", out.handler.http_get);
  f.get("tcpSocket", out.handler.tcp_socket);
  f.get("grpc", out.handler.grpc);
  f.get("initialDelaySeconds", out.initial_delay_seconds);
  f.get("timeoutSeconds", out.timeout_seconds);
  f.get("periodSeconds", out.period_seconds);
  f.get("successThreshold", out.success_threshold);
  f.get("failureThreshold", out.failure_threshold);
  f.get("terminationGracePeriodSeconds", out.termination_grace_period_seconds);
}

void decode(DocContext& c, const Node* n, const std::string& path, LifecycleHandler& out) {
  Fields f(c, n, path);
  f.get("exec", out.exec);
  f.get("httpGet", out.http_get);
  f.get("tcpSocket", out.tcp_socket);
  f.get("sleep", out.sleep);
}

void decode(DocContext& c, const Node* n, const std::string& path, Lifecycle& out) {
  Fields f(c, n, path);
  f.get("postStart", out.post_start);
  f.get("preStop", out.pre_stop);
  f.get("stopSignal", out.stop_signal);
}

void decode(DocContext& c, const Node* n, const std::string& path, Container& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("image", out.image);
  f.get("imagePullPolicy", out.image_pull_policy);
  f.get("command", out.command);
  f.get("args", out.args);
  f.get("workingDir", out.working_dir);
  f.get("ports", out.ports);
  f.get("envFrom", out.env_from);
  f.get("env", out.env);
  f.get("resources", out.resources);
  f.not_honoured("resizePolicy", "resources are fixed when the container starts");
  f.get("restartPolicy", out.restart_policy);
  f.get("volumeMounts", out.volume_mounts);
  f.get("volumeDevices", out.volume_devices);
  if (!out.volume_devices.empty())
    c.warn(f.take("volumeDevices"), f.path("volumeDevices"),
           "podlet does not honour this field; it is ignored (no block volumes)");
  f.get("livenessProbe", out.liveness_probe);
  f.get("readinessProbe", out.readiness_probe);
  f.get("startupProbe", out.startup_probe);
  f.get("lifecycle", out.lifecycle);
  f.get("terminationMessagePath", out.termination_message_path);
  f.get("terminationMessagePolicy", out.termination_message_policy);
  f.get("securityContext", out.security_context);
  f.get("stdin", out.stdin);
  f.get("stdinOnce", out.stdin_once);
  f.get("tty", out.tty);
}

}  // namespace podlet::manifest::detail
