// The typed model of the Kubernetes objects podlet reads: core/v1 Pod (also the pod
// template of Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob),
// ConfigMap, Secret and PersistentVolumeClaim, and the load API that turns YAML text
// into it: strict decoding, Kubernetes validation and Kubernetes defaulting.
//
// Contract for other layers:
// - Field names are the Kubernetes names in snake_case; fields are only ever added.
// - After load_manifest() without errors every pod is validated and defaulted: the
//   planner can rely on restart_policy, image_pull_policy, protocol, probe timings,
//   termination_grace_period_seconds, dns_policy, ... being set to their Kubernetes
//   defaults, and on every ConfigMap/Secret/PVC a pod references being present in
//   the Manifest unless the reference is optional.
// - Pods created from workloads: the pod is named "<workload name>-pod" (as podman
//   kube play does), lives in the workload's namespace, carries the template's labels
//   and annotations, and records the workload in `owner_kind`/`owner_name`. Only one
//   replica is run (a warning says so when replicas > 1).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "manifest/diagnostic.h"
#include "manifest/quantity.h"

namespace podlet::manifest {

// ---------------------------------------------------------------- common pieces

// Where a field came from, for diagnostics reported after decoding (validation,
// planner errors). Keys are full document paths: "spec.containers[0].image".
struct SourcePosition {
  int line = 0;  // 1-based
  int column = 0;
};

struct Source {
  std::string file;           // filename given to load_manifest ("-" for stdin)
  int document = 0;           // 0-based index of the YAML document in the file
  int line = 0;               // where the document's top-level mapping starts
  std::string kind;           // "Pod", "Deployment", ...
  std::string pod_meta_path;  // "metadata" (Pod) or "spec.template.metadata" (workloads)
  std::string pod_spec_path;  // "spec" (Pod), "spec.template.spec", "spec.jobTemplate.spec.template.spec"
  std::shared_ptr<const std::unordered_map<std::string, SourcePosition>> positions;

  // Position of `path` or of its nearest ancestor that has one.
  SourcePosition position_of(std::string_view path) const;
  // A diagnostic anchored at `path` in this document.
  Diagnostic diagnostic(Diagnostic::Severity severity, const std::string& path, std::string message) const;
};

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_ = "default";  // defaulted to "default"
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  // Given in the manifest, or generated when absent: a UUID derived from kind,
  // namespace and name, so the same manifest always yields the same plan.
  std::string uid;
};

// An int or a string (Kubernetes IntOrString), e.g. a probe port "8080" or "http".
struct IntOrString {
  bool is_int = true;
  int32_t int_value = 0;
  std::string str_value;
  std::string to_string() const { return is_int ? std::to_string(int_value) : str_value; }
};

// ---------------------------------------------------------------- env

struct ObjectFieldSelector {
  std::string api_version = "v1";
  std::string
      field_path;  // metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], status.podIP, ...
};

struct ResourceFieldSelector {
  std::string container_name;  // defaulted to the container being defined (for env)
  std::string resource;        // limits.cpu, requests.memory, limits.ephemeral-storage, ...
  Quantity divisor;            // defaulted to "1"
};

// Where Kubernetes declares one type per kind of referent with the same fields
// (ConfigMapKeySelector and SecretKeySelector, ...), podlet has one struct and names
// it both ways: the member holding it says which kind it refers to.

// A key of a ConfigMap or a Secret.
struct KeySelector {
  std::string name;
  std::string key;
  bool optional = false;
};
using ConfigMapKeySelector = KeySelector;
using SecretKeySelector = KeySelector;

struct EnvVarSource {
  std::optional<ObjectFieldSelector> field_ref;
  std::optional<ResourceFieldSelector> resource_field_ref;
  std::optional<ConfigMapKeySelector> config_map_key_ref;
  std::optional<SecretKeySelector> secret_key_ref;
};

struct EnvVar {
  std::string name;
  std::string value;  // may contain $(VAR) references: see expand.h
  std::optional<EnvVarSource> value_from;
};

// A ConfigMap or a Secret whose every key becomes a variable.
struct EnvSourceRef {
  std::string name;
  bool optional = false;
};
using ConfigMapEnvSource = EnvSourceRef;
using SecretEnvSource = EnvSourceRef;

struct EnvFromSource {
  std::string prefix;
  std::optional<ConfigMapEnvSource> config_map_ref;
  std::optional<SecretEnvSource> secret_ref;
};

// ---------------------------------------------------------------- ports, mounts, resources

struct ContainerPort {
  std::string name;
  int32_t container_port = 0;
  int32_t host_port = 0;         // 0: not published on the host
  std::string protocol = "TCP";  // TCP | UDP | SCTP (defaulted to TCP)
  std::string host_ip;
};

struct VolumeMount {
  std::string name;
  bool read_only = false;
  std::string recursive_read_only;  // "", Disabled, IfPossible, Enabled
  std::string mount_path;
  std::string sub_path;
  std::string sub_path_expr;               // $(VAR) expanded from the container env
  std::string mount_propagation = "None";  // None | HostToContainer | Bidirectional (defaulted to None)
};

struct VolumeDevice {
  std::string name;
  std::string device_path;
};

// Keys: "cpu", "memory", "ephemeral-storage", "hugepages-2Mi", extended resources.
struct ResourceRequirements {
  std::map<std::string, Quantity> limits;
  std::map<std::string, Quantity> requests;  // defaulted from limits where absent (as Kubernetes)
};

// ---------------------------------------------------------------- security

struct Capabilities {
  std::vector<std::string> add;  // as written: "NET_ADMIN" (or "CAP_NET_ADMIN"), "ALL"
  std::vector<std::string> drop;
};

struct SELinuxOptions {
  std::string user, role, type, level;
};

// A seccomp or an AppArmor profile (one struct, as for the env references above).
struct SecurityProfile {
  std::string type;  // RuntimeDefault | Unconfined | Localhost
  std::string localhost_profile;
};
using SeccompProfile = SecurityProfile;
using AppArmorProfile = SecurityProfile;

struct SecurityContext {
  std::optional<Capabilities> capabilities;
  std::optional<bool> privileged;
  std::optional<SELinuxOptions> se_linux_options;
  std::optional<int64_t> run_as_user;
  std::optional<int64_t> run_as_group;
  std::optional<bool> run_as_non_root;
  std::optional<bool> read_only_root_filesystem;
  std::optional<bool> allow_privilege_escalation;
  std::optional<std::string> proc_mount;  // Default | Unmasked
  std::optional<SeccompProfile> seccomp_profile;
  std::optional<AppArmorProfile> app_armor_profile;
};

struct Sysctl {
  std::string name;
  std::string value;
};

struct PodSecurityContext {
  std::optional<SELinuxOptions> se_linux_options;
  std::optional<int64_t> run_as_user;
  std::optional<int64_t> run_as_group;
  std::optional<bool> run_as_non_root;
  std::vector<int64_t> supplemental_groups;
  std::optional<std::string> supplemental_groups_policy;  // Merge | Strict
  std::optional<int64_t> fs_group;
  std::optional<std::string> fs_group_change_policy;  // OnRootMismatch | Always
  std::vector<Sysctl> sysctls;
  std::optional<SeccompProfile> seccomp_profile;
  std::optional<AppArmorProfile> app_armor_profile;
};

// ---------------------------------------------------------------- probes, lifecycle

struct ExecAction {
  std::vector<std::string> command;
};

struct HTTPHeader {
  std::string name;
  std::string value;
};

struct HTTPGetAction {
  std::string path = "/";       // defaulted to "/"
  IntOrString port;             // number or a container port name
  std::string host;             // empty: the pod IP
  std::string scheme = "HTTP";  // HTTP | HTTPS (defaulted to HTTP)
  std::vector<HTTPHeader> http_headers;
};

struct TCPSocketAction {
  IntOrString port;
  std::string host;
};

struct GRPCAction {
  int32_t port = 0;
  std::string service;  // empty: the default service
};

struct SleepAction {
  int64_t seconds = 0;
};

// Exactly one handler is set after validation.
struct ProbeHandler {
  std::optional<ExecAction> exec;
  std::optional<HTTPGetAction> http_get;
  std::optional<TCPSocketAction> tcp_socket;
  std::optional<GRPCAction> grpc;
};

struct Probe {
  ProbeHandler handler;
  int32_t initial_delay_seconds = 0;
  int32_t timeout_seconds = 1;  // defaults as Kubernetes
  int32_t period_seconds = 10;
  int32_t success_threshold = 1;
  int32_t failure_threshold = 3;
  std::optional<int64_t> termination_grace_period_seconds;
};

// Exactly one action is set after validation.
struct LifecycleHandler {
  std::optional<ExecAction> exec;
  std::optional<HTTPGetAction> http_get;
  std::optional<TCPSocketAction> tcp_socket;
  std::optional<SleepAction> sleep;
};

struct Lifecycle {
  std::optional<LifecycleHandler> post_start;
  std::optional<LifecycleHandler> pre_stop;
  std::string stop_signal;  // e.g. "SIGTERM"; empty: the image's STOPSIGNAL / SIGTERM
};

// ---------------------------------------------------------------- containers

struct Container {
  std::string name;
  std::string image;
  std::string image_pull_policy;     // Always | IfNotPresent | Never (defaulted from the tag)
  std::vector<std::string> command;  // empty: the image's Entrypoint
  std::vector<std::string> args;     // empty: the image's Cmd (when command is empty too)
  std::string working_dir;
  std::vector<ContainerPort> ports;
  std::vector<EnvFromSource> env_from;
  std::vector<EnvVar> env;
  ResourceRequirements resources;
  std::vector<VolumeMount> volume_mounts;
  std::vector<VolumeDevice> volume_devices;  // not honoured (warning)
  std::optional<Probe> liveness_probe;
  std::optional<Probe> readiness_probe;
  std::optional<Probe> startup_probe;
  std::optional<Lifecycle> lifecycle;
  std::string termination_message_path = "/dev/termination-log";
  std::string termination_message_policy = "File";  // File | FallbackToLogsOnError
  std::optional<SecurityContext> security_context;
  bool stdin = false;
  bool stdin_once = false;
  bool tty = false;
  // Init containers only: "Always" makes it a sidecar (started in order with the
  // other init containers, kept running alongside the app containers).
  std::string restart_policy;

  bool is_sidecar() const { return restart_policy == "Always"; }
};

// ---------------------------------------------------------------- volumes

struct KeyToPath {
  std::string key;
  std::string path;
  std::optional<int32_t> mode;
};

struct EmptyDirVolumeSource {
  std::string medium;  // "" (node disk) | Memory (tmpfs) | HugePages
  std::optional<Quantity> size_limit;
};

struct HostPathVolumeSource {
  std::string path;
  // "" | DirectoryOrCreate | Directory | FileOrCreate | File | Socket | CharDevice | BlockDevice
  std::string type;
};

struct ConfigMapVolumeSource {
  std::string name;
  std::vector<KeyToPath> items;  // empty: every key
  int32_t default_mode = 0644;   // defaulted as Kubernetes
  bool optional = false;
};

struct SecretVolumeSource {
  std::string secret_name;
  std::vector<KeyToPath> items;
  int32_t default_mode = 0644;
  bool optional = false;
};

struct PersistentVolumeClaimVolumeSource {
  std::string claim_name;
  bool read_only = false;
};

struct DownwardAPIVolumeFile {
  std::string path;
  std::optional<ObjectFieldSelector> field_ref;
  std::optional<ResourceFieldSelector> resource_field_ref;  // container_name required here
  std::optional<int32_t> mode;
};

struct DownwardAPIVolumeSource {
  std::vector<DownwardAPIVolumeFile> items;
  int32_t default_mode = 0644;
};

struct ServiceAccountTokenProjection {
  std::string audience;
  int64_t expiration_seconds = 3600;
  std::string path;
};

// One of the sources of a projected volume; exactly one member is set.
struct VolumeProjection {
  std::optional<SecretVolumeSource> secret;         // secret_name, items, optional (default_mode unused)
  std::optional<ConfigMapVolumeSource> config_map;  // name, items, optional (default_mode unused)
  std::optional<DownwardAPIVolumeSource> downward_api;
  std::optional<ServiceAccountTokenProjection> service_account_token;  // not honoured (warning)
};

struct ProjectedVolumeSource {
  std::vector<VolumeProjection> sources;
  int32_t default_mode = 0644;
};

struct ImageVolumeSource {
  std::string reference;
  std::string pull_policy;
};

// Exactly one source is set after validation; `kind()` names it.
struct Volume {
  std::string name;
  std::optional<EmptyDirVolumeSource> empty_dir;
  std::optional<HostPathVolumeSource> host_path;
  std::optional<ConfigMapVolumeSource> config_map;
  std::optional<SecretVolumeSource> secret;
  std::optional<PersistentVolumeClaimVolumeSource> persistent_volume_claim;
  std::optional<DownwardAPIVolumeSource> downward_api;
  std::optional<ProjectedVolumeSource> projected;
  std::optional<ImageVolumeSource> image;

  enum class Kind {
    kNone,
    kEmptyDir,
    kHostPath,
    kConfigMap,
    kSecret,
    kPersistentVolumeClaim,
    kDownwardAPI,
    kProjected,
    kImage
  };
  Kind kind() const;
};

// ---------------------------------------------------------------- pod

struct HostAlias {
  std::string ip;
  std::vector<std::string> hostnames;
};

struct PodDNSConfigOption {
  std::string name;
  std::optional<std::string> value;
};

struct PodDNSConfig {
  std::vector<std::string> nameservers;
  std::vector<std::string> searches;
  std::vector<PodDNSConfigOption> options;
};

struct LocalObjectReference {
  std::string name;
};

struct PodSpec {
  std::vector<Volume> volumes;
  std::vector<Container> init_containers;
  std::vector<Container> containers;
  std::string restart_policy = "Always";  // Always | OnFailure | Never
  int64_t termination_grace_period_seconds = 30;
  std::optional<int64_t> active_deadline_seconds;
  std::string dns_policy = "ClusterFirst";  // ClusterFirst | ClusterFirstWithHostNet | Default | None
  std::map<std::string, std::string> node_selector;  // not honoured (warning)
  std::string service_account_name;                  // not honoured (warning)
  std::optional<bool> automount_service_account_token;
  std::string node_name;  // not honoured (warning)
  bool host_network = false;
  bool host_pid = false;
  bool host_ipc = false;
  bool share_process_namespace = false;
  std::optional<bool> host_users;  // false: a user namespace (not honoured yet: warning)
  PodSecurityContext security_context;
  std::vector<LocalObjectReference> image_pull_secrets;
  std::string hostname;   // empty: the pod name
  std::string subdomain;  // hostname.subdomain.namespace.svc.cluster-domain as FQDN
  bool set_hostname_as_fqdn = false;
  std::vector<HostAlias> host_aliases;
  std::optional<PodDNSConfig> dns_config;
  std::string priority_class_name;  // not honoured (warning)
  std::optional<int32_t> priority;
  std::string runtime_class_name;  // not honoured (warning)
  std::optional<bool> enable_service_links;
  std::string scheduler_name = "default-scheduler";
  std::string os_name;  // spec.os.name: linux (windows is refused)
  // Present in the manifest but meaningless on one host; podlet warns and ignores
  // them (affinity, tolerations, topologySpreadConstraints, readinessGates, ...).
  std::vector<std::string> ignored_fields;
};

struct Pod {
  ObjectMeta metadata;
  PodSpec spec;
  std::string owner_kind;  // "" for a bare Pod, else Deployment, Job, ...
  std::string owner_name;
  Source source;

  // "namespace/name"
  std::string key() const { return metadata.namespace_ + "/" + metadata.name; }
  // Every container, init containers first, in manifest order.
  std::vector<const Container*> all_containers() const;
};

// ---------------------------------------------------------------- other kinds

struct ConfigMap {
  ObjectMeta metadata;
  std::map<std::string, std::string> data;
  std::map<std::string, std::string> binary_data;  // decoded bytes
  bool immutable = false;
  Source source;
};

struct Secret {
  ObjectMeta metadata;
  std::string type = "Opaque";
  std::map<std::string, std::string> data;  // decoded bytes; stringData merged in (it wins)
  bool immutable = false;
  Source source;
};

struct PersistentVolumeClaim {
  ObjectMeta metadata;
  std::vector<std::string> access_modes;
  std::optional<Quantity> storage_request;  // spec.resources.requests.storage
  std::string storage_class_name;
  std::string volume_mode = "Filesystem";
  Source source;
};

// ---------------------------------------------------------------- load API

struct Manifest {
  std::vector<Pod> pods;
  // Keyed by "namespace/name".
  std::map<std::string, ConfigMap> config_maps;
  std::map<std::string, Secret> secrets;
  std::map<std::string, PersistentVolumeClaim> pvcs;
  std::vector<Diagnostic> diagnostics;  // in input order: errors and warnings

  bool ok() const { return !has_errors(diagnostics); }
  const ConfigMap* find_config_map(const std::string& ns, const std::string& name) const;
  const Secret* find_secret(const std::string& ns, const std::string& name) const;
  const PersistentVolumeClaim* find_pvc(const std::string& ns, const std::string& name) const;
};

struct Input {
  std::string filename;  // as shown in diagnostics; "-" for stdin
  std::string text;
};

// Limits that keep hostile input from exhausting memory, stack or time.
struct LoadLimits {
  size_t max_bytes = 16u << 20;  // per input
  int max_depth = 100;           // nesting of mappings/sequences
  size_t max_nodes = 1u << 20;   // per input, after alias expansion
  size_t max_documents = 10000;  // per input
};

// Parses, decodes strictly, validates and defaults every document of every input.
// ConfigMaps, Secrets and PVCs from any input satisfy references from pods of any
// input. Never throws on bad input: problems become diagnostics.
Manifest load_manifests(const std::vector<Input>& inputs, const LoadLimits& limits = {});
Manifest load_manifest(std::string_view text, const std::string& filename);

}  // namespace podlet::manifest
