#include "plan/runtime_spec.h"

#include "base/atomic_file.h"
#include "base/error.h"
#include "plan/json_fields.h"

namespace podlet::plan {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Capabilities, names)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SeccompSpec, mode, profile_path)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RootSpec, lower_dirs, upper_dir, work_dir, read_only, rootfs)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NamespaceSpec, infra_pid_file, join_net, join_uts, join_ipc,
                                                join_pid)

const std::vector<DeviceSpec>& default_devices() {
  static const std::vector<DeviceSpec> devices = {
      {"/dev/null", "c", 1, 3, 0666},   {"/dev/zero", "c", 1, 5, 0666},    {"/dev/full", "c", 1, 7, 0666},
      {"/dev/random", "c", 1, 8, 0666}, {"/dev/urandom", "c", 1, 9, 0666}, {"/dev/tty", "c", 5, 0, 0666}};
  return devices;
}

PODLET_JSON_FIELDS(MountSpec, source, destination, type, options, read_only, recursive, propagation, is_file,
                   sub_path)
PODLET_JSON_FIELDS(DeviceSpec, path, type, major, minor, mode)
PODLET_JSON_FIELDS(ProcessSpec, args, env, cwd, user, uid, gid, supplemental_groups, run_as_non_root,
                   no_new_privileges, tty, stdin_open, capabilities, seccomp, termination_message_path)

namespace {
PODLET_JSON_MEMBERS(ContainerSpec, write_container, read_container, pod, pod_id, name, state_dir, namespaces,
                    root, mounts, process, masked_paths, readonly_paths, sysfs_read_only, devices, privileged,
                    dev_shm, etc_files)
}  // namespace

void to_json(nlohmann::json& j, const ContainerSpec& v) {
  write_container(j, v);
}
// A spec without "devices" (written before the key existed) gets the devices every
// container gets.
void from_json(const nlohmann::json& j, ContainerSpec& v) {
  v = ContainerSpec{};
  v.devices = default_devices();
  read_container(j, v);
}

PODLET_JSON_FIELDS(PortMapping, host_ip, host_port, container_port, protocol)
PODLET_JSON_FIELDS(NetworkSpec, enabled, bridge, subnet, gateway, pod_uid, ports, mtu)
PODLET_JSON_FIELDS(FileSpec, path, content, mode)
PODLET_JSON_FIELDS(VolumeOwnership, gid, read_only, only_on_root_mismatch)
PODLET_JSON_FIELDS(VolumeSpec, name, kind, host_path, host_path_type, files, size_limit, ownership)
PODLET_JSON_FIELDS(InfraSpec, pod, pod_id, pod_uid, state_dir, hostname, new_net, new_uts, new_ipc, new_pid,
                   pid_file, network, dev_shm, etc_hosts, etc_hostname, resolv_conf, resolv_conf_content,
                   host_aliases, volumes)

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
