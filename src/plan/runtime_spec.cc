#include "plan/runtime_spec.h"

#include "base/atomic_file.h"
#include "base/error.h"

namespace podlet::plan {

namespace {

template <typename T>
void put_optional(nlohmann::json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}
template <typename T>
void get_optional(const nlohmann::json& j, const char* key, std::optional<T>& v) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) v = it->get<T>();
}

}  // namespace

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Capabilities, names)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SeccompSpec, mode, profile_path)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RootSpec, lower_dirs, upper_dir, work_dir, read_only, rootfs)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DeviceSpec, path, type, major, minor, mode)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NamespaceSpec, infra_pid_file, join_net, join_uts, join_ipc,
                                                join_pid)

const std::vector<DeviceSpec>& default_devices() {
  static const std::vector<DeviceSpec> devices = {
      {"/dev/null", "c", 1, 3, 0666},   {"/dev/zero", "c", 1, 5, 0666},    {"/dev/full", "c", 1, 7, 0666},
      {"/dev/random", "c", 1, 8, 0666}, {"/dev/urandom", "c", 1, 9, 0666}, {"/dev/tty", "c", 5, 0, 0666}};
  return devices;
}

void to_json(nlohmann::json& j, const MountSpec& v) {
  j = {{"source", v.source},           {"destination", v.destination}, {"type", v.type},
       {"options", v.options},         {"read_only", v.read_only},     {"recursive", v.recursive},
       {"propagation", v.propagation}, {"is_file", v.is_file},         {"sub_path", v.sub_path}};
}
void from_json(const nlohmann::json& j, MountSpec& v) {
  MountSpec d;
  v.source = j.value("source", d.source);
  v.destination = j.value("destination", d.destination);
  v.type = j.value("type", d.type);
  v.options = j.value("options", d.options);
  v.read_only = j.value("read_only", d.read_only);
  v.recursive = j.value("recursive", d.recursive);
  v.propagation = j.value("propagation", d.propagation);
  v.is_file = j.value("is_file", d.is_file);
  v.sub_path = j.value("sub_path", d.sub_path);
}

static void to_json(nlohmann::json& j, const ProcessSpec& v) {
  j = {{"args", v.args},
       {"env", v.env},
       {"cwd", v.cwd},
       {"user", v.user},
       {"supplemental_groups", v.supplemental_groups},
       {"run_as_non_root", v.run_as_non_root},
       {"no_new_privileges", v.no_new_privileges},
       {"tty", v.tty},
       {"stdin_open", v.stdin_open},
       {"capabilities", v.capabilities},
       {"seccomp", v.seccomp},
       {"termination_message_path", v.termination_message_path}};
  put_optional(j, "uid", v.uid);
  put_optional(j, "gid", v.gid);
}
static void from_json(const nlohmann::json& j, ProcessSpec& v) {
  ProcessSpec d;
  v.args = j.value("args", d.args);
  v.env = j.value("env", d.env);
  v.cwd = j.value("cwd", d.cwd);
  v.user = j.value("user", d.user);
  v.supplemental_groups = j.value("supplemental_groups", d.supplemental_groups);
  v.run_as_non_root = j.value("run_as_non_root", d.run_as_non_root);
  v.no_new_privileges = j.value("no_new_privileges", d.no_new_privileges);
  v.tty = j.value("tty", d.tty);
  v.stdin_open = j.value("stdin_open", d.stdin_open);
  v.capabilities = j.value("capabilities", d.capabilities);
  v.seccomp = j.value("seccomp", d.seccomp);
  v.termination_message_path = j.value("termination_message_path", d.termination_message_path);
  get_optional(j, "uid", v.uid);
  get_optional(j, "gid", v.gid);
}

void to_json(nlohmann::json& j, const ContainerSpec& v) {
  j = {{"pod", v.pod},
       {"pod_id", v.pod_id},
       {"name", v.name},
       {"state_dir", v.state_dir},
       {"namespaces", v.namespaces},
       {"root", v.root},
       {"mounts", v.mounts},
       {"process", v.process},
       {"masked_paths", v.masked_paths},
       {"readonly_paths", v.readonly_paths},
       {"sysfs_read_only", v.sysfs_read_only},
       {"devices", v.devices},
       {"privileged", v.privileged},
       {"dev_shm", v.dev_shm},
       {"etc_files", v.etc_files}};
}
void from_json(const nlohmann::json& j, ContainerSpec& v) {
  ContainerSpec d;
  v.pod = j.value("pod", d.pod);
  v.pod_id = j.value("pod_id", d.pod_id);
  v.name = j.value("name", d.name);
  v.state_dir = j.value("state_dir", d.state_dir);
  v.namespaces = j.value("namespaces", d.namespaces);
  v.root = j.value("root", d.root);
  v.mounts = j.value("mounts", d.mounts);
  if (auto it = j.find("process"); it != j.end()) from_json(*it, v.process);
  v.masked_paths = j.value("masked_paths", d.masked_paths);
  v.readonly_paths = j.value("readonly_paths", d.readonly_paths);
  v.sysfs_read_only = j.value("sysfs_read_only", d.sysfs_read_only);
  v.devices = j.value("devices", default_devices());
  v.privileged = j.value("privileged", d.privileged);
  v.dev_shm = j.value("dev_shm", d.dev_shm);
  v.etc_files = j.value("etc_files", d.etc_files);
}

void to_json(nlohmann::json& j, const PortMapping& v) {
  j = {{"host_ip", v.host_ip},
       {"host_port", v.host_port},
       {"container_port", v.container_port},
       {"protocol", v.protocol}};
}
void from_json(const nlohmann::json& j, PortMapping& v) {
  PortMapping d;
  v.host_ip = j.value("host_ip", d.host_ip);
  v.host_port = j.value("host_port", d.host_port);
  v.container_port = j.value("container_port", d.container_port);
  v.protocol = j.value("protocol", d.protocol);
}
void to_json(nlohmann::json& j, const NetworkSpec& v) {
  j = {{"enabled", v.enabled}, {"bridge", v.bridge}, {"subnet", v.subnet}, {"gateway", v.gateway},
       {"pod_uid", v.pod_uid}, {"ports", v.ports},   {"mtu", v.mtu}};
}
void from_json(const nlohmann::json& j, NetworkSpec& v) {
  NetworkSpec d;
  v.enabled = j.value("enabled", d.enabled);
  v.bridge = j.value("bridge", d.bridge);
  v.subnet = j.value("subnet", d.subnet);
  v.gateway = j.value("gateway", d.gateway);
  v.pod_uid = j.value("pod_uid", d.pod_uid);
  v.ports = j.value("ports", d.ports);
  v.mtu = j.value("mtu", d.mtu);
}
void to_json(nlohmann::json& j, const FileSpec& v) {
  j = {{"path", v.path}, {"content", v.content}, {"mode", v.mode}};
}
void from_json(const nlohmann::json& j, FileSpec& v) {
  FileSpec d;
  v.path = j.value("path", d.path);
  v.content = j.value("content", d.content);
  v.mode = j.value("mode", d.mode);
}
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(VolumeOwnership, gid, read_only, only_on_root_mismatch)

void to_json(nlohmann::json& j, const VolumeSpec& v) {
  j = {{"name", v.name},
       {"kind", v.kind},
       {"host_path", v.host_path},
       {"host_path_type", v.host_path_type},
       {"files", v.files}};
  put_optional(j, "size_limit", v.size_limit);
  put_optional(j, "ownership", v.ownership);
}
void from_json(const nlohmann::json& j, VolumeSpec& v) {
  VolumeSpec d;
  v.name = j.value("name", d.name);
  v.kind = j.value("kind", d.kind);
  v.host_path = j.value("host_path", d.host_path);
  v.host_path_type = j.value("host_path_type", d.host_path_type);
  v.files = j.value("files", d.files);
  v.size_limit.reset();
  get_optional(j, "size_limit", v.size_limit);
  v.ownership.reset();
  get_optional(j, "ownership", v.ownership);
}
void to_json(nlohmann::json& j, const InfraSpec& v) {
  j = {{"pod", v.pod},           {"pod_id", v.pod_id},     {"pod_uid", v.pod_uid}, {"state_dir", v.state_dir},
       {"hostname", v.hostname}, {"new_net", v.new_net},   {"new_uts", v.new_uts}, {"new_ipc", v.new_ipc},
       {"new_pid", v.new_pid},   {"pid_file", v.pid_file}, {"network", v.network}};
  j["dev_shm"] = v.dev_shm;
  j["etc_hosts"] = v.etc_hosts;
  j["etc_hostname"] = v.etc_hostname;
  j["resolv_conf"] = v.resolv_conf;
  j["resolv_conf_content"] = v.resolv_conf_content;
  j["host_aliases"] = v.host_aliases;
  j["volumes"] = v.volumes;
}
void from_json(const nlohmann::json& j, InfraSpec& v) {
  InfraSpec d;
  v.pod = j.value("pod", d.pod);
  v.pod_id = j.value("pod_id", d.pod_id);
  v.pod_uid = j.value("pod_uid", d.pod_uid);
  v.state_dir = j.value("state_dir", d.state_dir);
  v.hostname = j.value("hostname", d.hostname);
  v.new_net = j.value("new_net", d.new_net);
  v.new_uts = j.value("new_uts", d.new_uts);
  v.new_ipc = j.value("new_ipc", d.new_ipc);
  v.new_pid = j.value("new_pid", d.new_pid);
  v.pid_file = j.value("pid_file", d.pid_file);
  v.network = j.value("network", d.network);
  v.dev_shm = j.value("dev_shm", d.dev_shm);
  v.etc_hosts = j.value("etc_hosts", d.etc_hosts);
  v.etc_hostname = j.value("etc_hostname", d.etc_hostname);
  v.resolv_conf = j.value("resolv_conf", d.resolv_conf);
  v.resolv_conf_content = j.value("resolv_conf_content", d.resolv_conf_content);
  v.host_aliases = j.value("host_aliases", d.host_aliases);
  v.volumes = j.value("volumes", d.volumes);
}

template <typename T>
static T load_spec(const std::string& path) {
  std::string text = read_file(path);
  try {
    return nlohmann::json::parse(text).get<T>();
  } catch (const nlohmann::json::exception& e) {
    throw Error("spec " + path + ": " + e.what());
  }
}

ContainerSpec load_container_spec(const std::string& path) {
  return load_spec<ContainerSpec>(path);
}
InfraSpec load_infra_spec(const std::string& path) {
  return load_spec<InfraSpec>(path);
}

}  // namespace podlet::plan
