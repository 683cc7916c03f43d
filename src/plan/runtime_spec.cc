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

namespace {

using json_fields::Field;

constexpr auto kMountFields = std::tuple{Field{"source", &MountSpec::source},
                                         Field{"destination", &MountSpec::destination},
                                         Field{"type", &MountSpec::type},
                                         Field{"options", &MountSpec::options},
                                         Field{"read_only", &MountSpec::read_only},
                                         Field{"recursive", &MountSpec::recursive},
                                         Field{"propagation", &MountSpec::propagation},
                                         Field{"is_file", &MountSpec::is_file},
                                         Field{"sub_path", &MountSpec::sub_path}};

constexpr auto kDeviceFields = std::tuple{
    Field{"path", &DeviceSpec::path}, Field{"type", &DeviceSpec::type}, Field{"major", &DeviceSpec::major},
    Field{"minor", &DeviceSpec::minor}, Field{"mode", &DeviceSpec::mode}};

constexpr auto kPortFields = std::tuple{
    Field{"host_ip", &PortMapping::host_ip}, Field{"host_port", &PortMapping::host_port},
    Field{"container_port", &PortMapping::container_port}, Field{"protocol", &PortMapping::protocol}};

constexpr auto kNetworkFields =
    std::tuple{Field{"enabled", &NetworkSpec::enabled}, Field{"bridge", &NetworkSpec::bridge},
               Field{"subnet", &NetworkSpec::subnet},   Field{"gateway", &NetworkSpec::gateway},
               Field{"pod_uid", &NetworkSpec::pod_uid}, Field{"ports", &NetworkSpec::ports},
               Field{"mtu", &NetworkSpec::mtu}};

constexpr auto kFileFields = std::tuple{Field{"path", &FileSpec::path}, Field{"content", &FileSpec::content},
                                        Field{"mode", &FileSpec::mode}};

constexpr auto kOwnershipFields =
    std::tuple{Field{"gid", &VolumeOwnership::gid}, Field{"read_only", &VolumeOwnership::read_only},
               Field{"only_on_root_mismatch", &VolumeOwnership::only_on_root_mismatch}};

constexpr auto kProcessFields =
    std::tuple{Field{"args", &ProcessSpec::args},
               Field{"env", &ProcessSpec::env},
               Field{"cwd", &ProcessSpec::cwd},
               Field{"user", &ProcessSpec::user},
               Field{"uid", &ProcessSpec::uid},
               Field{"gid", &ProcessSpec::gid},
               Field{"supplemental_groups", &ProcessSpec::supplemental_groups},
               Field{"run_as_non_root", &ProcessSpec::run_as_non_root},
               Field{"no_new_privileges", &ProcessSpec::no_new_privileges},
               Field{"tty", &ProcessSpec::tty},
               Field{"stdin_open", &ProcessSpec::stdin_open},
               Field{"capabilities", &ProcessSpec::capabilities},
               Field{"seccomp", &ProcessSpec::seccomp},
               Field{"termination_message_path", &ProcessSpec::termination_message_path}};

constexpr auto kContainerFields = std::tuple{Field{"pod", &ContainerSpec::pod},
                                             Field{"pod_id", &ContainerSpec::pod_id},
                                             Field{"name", &ContainerSpec::name},
                                             Field{"state_dir", &ContainerSpec::state_dir},
                                             Field{"namespaces", &ContainerSpec::namespaces},
                                             Field{"root", &ContainerSpec::root},
                                             Field{"mounts", &ContainerSpec::mounts},
                                             Field{"process", &ContainerSpec::process},
                                             Field{"masked_paths", &ContainerSpec::masked_paths},
                                             Field{"readonly_paths", &ContainerSpec::readonly_paths},
                                             Field{"sysfs_read_only", &ContainerSpec::sysfs_read_only},
                                             Field{"devices", &ContainerSpec::devices},
                                             Field{"privileged", &ContainerSpec::privileged},
                                             Field{"dev_shm", &ContainerSpec::dev_shm},
                                             Field{"etc_files", &ContainerSpec::etc_files}};

constexpr auto kVolumeFields = std::tuple{
    Field{"name", &VolumeSpec::name},           Field{"kind", &VolumeSpec::kind},
    Field{"host_path", &VolumeSpec::host_path}, Field{"host_path_type", &VolumeSpec::host_path_type},
    Field{"files", &VolumeSpec::files},         Field{"size_limit", &VolumeSpec::size_limit},
    Field{"ownership", &VolumeSpec::ownership}};

constexpr auto kInfraFields = std::tuple{Field{"pod", &InfraSpec::pod},
                                         Field{"pod_id", &InfraSpec::pod_id},
                                         Field{"pod_uid", &InfraSpec::pod_uid},
                                         Field{"state_dir", &InfraSpec::state_dir},
                                         Field{"hostname", &InfraSpec::hostname},
                                         Field{"new_net", &InfraSpec::new_net},
                                         Field{"new_uts", &InfraSpec::new_uts},
                                         Field{"new_ipc", &InfraSpec::new_ipc},
                                         Field{"new_pid", &InfraSpec::new_pid},
                                         Field{"pid_file", &InfraSpec::pid_file},
                                         Field{"network", &InfraSpec::network},
                                         Field{"dev_shm", &InfraSpec::dev_shm},
                                         Field{"etc_hosts", &InfraSpec::etc_hosts},
                                         Field{"etc_hostname", &InfraSpec::etc_hostname},
                                         Field{"resolv_conf", &InfraSpec::resolv_conf},
                                         Field{"resolv_conf_content", &InfraSpec::resolv_conf_content},
                                         Field{"host_aliases", &InfraSpec::host_aliases},
                                         Field{"volumes", &InfraSpec::volumes}};

// A spec without "devices" gets the standard set, as the planner gives every container.
ContainerSpec container_defaults() {
  ContainerSpec d;
  d.devices = default_devices();
  return d;
}

}  // namespace

void to_json(nlohmann::json& j, const MountSpec& v) {
  json_fields::write(j, v, kMountFields);
}
void from_json(const nlohmann::json& j, MountSpec& v) {
  json_fields::read(j, v, kMountFields);
}
void to_json(nlohmann::json& j, const DeviceSpec& v) {
  json_fields::write(j, v, kDeviceFields);
}
void from_json(const nlohmann::json& j, DeviceSpec& v) {
  json_fields::read(j, v, kDeviceFields);
}
void to_json(nlohmann::json& j, const PortMapping& v) {
  json_fields::write(j, v, kPortFields);
}
void from_json(const nlohmann::json& j, PortMapping& v) {
  json_fields::read(j, v, kPortFields);
}
void to_json(nlohmann::json& j, const NetworkSpec& v) {
  json_fields::write(j, v, kNetworkFields);
}
void from_json(const nlohmann::json& j, NetworkSpec& v) {
  json_fields::read(j, v, kNetworkFields);
}
void to_json(nlohmann::json& j, const FileSpec& v) {
  json_fields::write(j, v, kFileFields);
}
void from_json(const nlohmann::json& j, FileSpec& v) {
  json_fields::read(j, v, kFileFields);
}
void to_json(nlohmann::json& j, const VolumeOwnership& v) {
  json_fields::write(j, v, kOwnershipFields);
}
void from_json(const nlohmann::json& j, VolumeOwnership& v) {
  json_fields::read(j, v, kOwnershipFields);
}
void to_json(nlohmann::json& j, const ProcessSpec& v) {
  json_fields::write(j, v, kProcessFields);
}
void from_json(const nlohmann::json& j, ProcessSpec& v) {
  json_fields::read(j, v, kProcessFields);
}

void to_json(nlohmann::json& j, const ContainerSpec& v) {
  json_fields::write(j, v, kContainerFields);
}
void from_json(const nlohmann::json& j, ContainerSpec& v) {
  json_fields::read(j, v, kContainerFields, container_defaults());
}

void to_json(nlohmann::json& j, const VolumeSpec& v) {
  json_fields::write(j, v, kVolumeFields);
}
void from_json(const nlohmann::json& j, VolumeSpec& v) {
  json_fields::read(j, v, kVolumeFields);
}
void to_json(nlohmann::json& j, const InfraSpec& v) {
  json_fields::write(j, v, kInfraFields);
}
void from_json(const nlohmann::json& j, InfraSpec& v) {
  json_fields::read(j, v, kInfraFields);
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
