// The plain specs the runtime executes, written by the planner as JSON into the
// pod's state dir and read by podlet's internal entrypoints inside systemd units.
// No YAML, no Kubernetes names here: only what the kernel needs to be told.
// Fields are only ever added; every field has a safe default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace podlet::plan {

struct MountSpec {
  std::string source;                // host path (bind) or fs-specific source ("tmpfs", "proc")
  std::string destination;           // absolute path inside the container
  std::string type = "bind";         // bind | tmpfs | proc | sysfs | mqueue | devpts
  std::vector<std::string> options;  // fs data options (e.g. "size=64m", "mode=1777")
  bool read_only = false;
  bool recursive = true;                 // rbind for bind mounts
  std::string propagation = "rprivate";  // rprivate | rslave | rshared
  bool is_file = false;                  // destination is a file (bind of a file)
  // For bind mounts of a volume's subPath: `source` is the volume root and sub_path is
  // resolved inside it by the runtime (never following links out of the volume).
  std::string sub_path;
};

struct Capabilities {
  // Names as in capabilities(7), e.g. "CAP_CHOWN". bounding = permitted = effective;
  // inheritable and ambient stay empty. The runtime leaves out those it cannot grant
  // (the running kernel does not know them, or they are not in its own bounding set).
  std::vector<std::string> names;
};

struct SeccompSpec {
  std::string mode = "runtime-default";  // runtime-default | unconfined | localhost
  std::string profile_path;              // for localhost: an OCI seccomp JSON profile
};

struct ProcessSpec {
  std::vector<std::string> args;  // already merged with the image's Entrypoint/Cmd
  std::vector<std::string> env;   // "KEY=value", image env then manifest env
  std::string cwd = "/";
  // Numeric ids; when user is set (image USER name) it is resolved inside the root.
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  std::string user;
  std::vector<uint32_t> supplemental_groups;
  bool run_as_non_root = false;
  bool no_new_privileges = false;
  bool tty = false;
  bool stdin_open = false;
  Capabilities capabilities;
  SeccompSpec seccomp;
  std::string termination_message_path;
};

struct RootSpec {
  std::vector<std::string> lower_dirs;  // image layers, top-most first
  std::string upper_dir;                // per-container writable layer
  std::string work_dir;                 // overlayfs workdir (same fs as upper_dir)
  bool read_only = false;
  // Where the runtime assembles the root (a private mount point it creates).
  std::string rootfs;
};

// What a container joins of its pod's infra, and what it creates itself.
struct NamespaceSpec {
  std::string infra_pid_file;  // holds the infra process id (joined via pidfd_open + setns)
  bool join_net = true;
  bool join_uts = true;
  bool join_ipc = true;
  bool join_pid = false;  // shareProcessNamespace: join the infra's pid namespace
};

// A device node of the container's /dev (a tmpfs of its own).
struct DeviceSpec {
  std::string path;        // directly below /dev, e.g. "/dev/null"
  std::string type = "c";  // c (character) | b (block)
  uint32_t major = 0;
  uint32_t minor = 0;
  uint32_t mode = 0666;
};

// The device nodes the planner gives every container: null, zero, full, random,
// urandom, tty (the pty and /dev/ptmx come from the container's own devpts). Also
// what a spec written before `devices` existed gets.
const std::vector<DeviceSpec>& default_devices();

struct ContainerSpec {
  std::string pod;        // "namespace/name", for messages
  std::string pod_id;     // "namespace_name"
  std::string name;       // container name
  std::string state_dir;  // pod runtime state dir
  NamespaceSpec namespaces;
  RootSpec root;
  std::vector<MountSpec> mounts;  // in order, after /proc, /dev, /sys are set up
  ProcessSpec process;
  // Masked (a file with /dev/null, a directory with an empty read-only tmpfs) and
  // read-only paths, exactly these: the runtime adds none. Paths absent from the
  // container's /proc or /sys are skipped.
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  bool sysfs_read_only = true;      // /sys mounted read-only
  std::vector<DeviceSpec> devices;  // the nodes of /dev, exactly these
  // securityContext.privileged as the manifest said it, for readers of the plan. Its
  // effects are in the other fields (capabilities, seccomp, masks, /sys, devices):
  // the runtime does not read it.
  bool privileged = false;
  std::string dev_shm;  // host dir of the pod's shared /dev/shm (bind-mounted)
  // The pod's /etc/hosts, /etc/hostname and /etc/resolv.conf (files the infra writes;
  // /etc/hosts is rewritten in place as pods come and go), bind-mounted after `mounts`.
  std::vector<MountSpec> etc_files;
};

struct PortMapping {
  std::string host_ip;  // empty: all host addresses
  uint16_t host_port = 0;
  uint16_t container_port = 0;
  std::string protocol = "tcp";  // tcp | udp
};

struct NetworkSpec {
  bool enabled = true;  // false for hostNetwork
  std::string bridge = "podlet0";
  std::string subnet = "10.90.0.0/16";
  std::string gateway = "10.90.0.1";
  std::string pod_uid;  // IPAM key
  std::vector<PortMapping> ports;
  unsigned mtu = 0;  // bridge and veth MTU; 0: the kernel's default (network.json "mtu")
};

// A pod-level volume the infra prepares on the host before containers start and
// removes in its stop path (containers bind-mount host_path).
struct FileSpec {
  std::string path;     // relative to the volume root, no ".." (validated by the planner)
  std::string content;  // raw bytes
  uint32_t mode = 0644;
};

// Kubernetes fsGroup ownership of a volume podlet manages (not hostPath): every entry
// gets group `gid` and group (and owner) read/write, or read for read-only volumes;
// directories also get x and setgid, so that files created later get the group.
struct VolumeOwnership {
  uint32_t gid = 0;
  bool read_only = false;              // configMap, secret, downwardAPI, projected
  bool only_on_root_mismatch = false;  // fsGroupChangePolicy OnRootMismatch: no walk when the root matches
};

struct VolumeSpec {
  std::string name;
  std::string kind;            // empty-dir | memory | config-map | secret | host-path | persistent
  std::string host_path;       // where it lives on the host (for host-path: the user's path)
  std::string host_path_type;  // Kubernetes hostPath type ("", Directory, DirectoryOrCreate, File, ...)
  std::optional<uint64_t> size_limit;        // bytes (memory medium, secret tmpfs)
  std::vector<FileSpec> files;               // config-map and secret contents
  std::optional<VolumeOwnership> ownership;  // pod securityContext.fsGroup
};

struct InfraSpec {
  std::string pod;
  std::string pod_id;
  std::string pod_uid;
  std::string state_dir;
  std::string hostname;
  bool new_net = true;
  bool new_uts = true;
  bool new_ipc = true;
  bool new_pid = false;  // shareProcessNamespace: the infra becomes PID 1 of the pod
  std::string pid_file;  // where the infra writes the pid containers join
  NetworkSpec network;
  std::string dev_shm;              // host dir the infra mounts a tmpfs on, shared as the pod's /dev/shm
  std::string etc_hosts;            // host file bind-mounted as /etc/hosts (written once the pod IP is known)
  std::string etc_hostname;         // host file bind-mounted as /etc/hostname
  std::string resolv_conf;          // host file bind-mounted as /etc/resolv.conf
  std::string resolv_conf_content;  // the file's content, computed by the planner (plan/pod_dns.h)
  std::vector<std::pair<std::string, std::vector<std::string>>> host_aliases;  // ip -> names
  std::vector<VolumeSpec> volumes;
};

void to_json(nlohmann::json& j, const ProcessSpec& v);
void from_json(const nlohmann::json& j, ProcessSpec& v);
void to_json(nlohmann::json& j, const MountSpec& v);
void from_json(const nlohmann::json& j, MountSpec& v);
void to_json(nlohmann::json& j, const DeviceSpec& v);
void from_json(const nlohmann::json& j, DeviceSpec& v);
void to_json(nlohmann::json& j, const ContainerSpec& v);
void from_json(const nlohmann::json& j, ContainerSpec& v);
void to_json(nlohmann::json& j, const FileSpec& v);
void from_json(const nlohmann::json& j, FileSpec& v);
void to_json(nlohmann::json& j, const VolumeOwnership& v);
void from_json(const nlohmann::json& j, VolumeOwnership& v);
void to_json(nlohmann::json& j, const VolumeSpec& v);
void from_json(const nlohmann::json& j, VolumeSpec& v);
void to_json(nlohmann::json& j, const InfraSpec& v);
void from_json(const nlohmann::json& j, InfraSpec& v);
void to_json(nlohmann::json& j, const NetworkSpec& v);
void from_json(const nlohmann::json& j, NetworkSpec& v);
void to_json(nlohmann::json& j, const PortMapping& v);
void from_json(const nlohmann::json& j, PortMapping& v);

// Reads a spec file written by the planner; throws podlet::Error naming the file.
ContainerSpec load_container_spec(const std::string& path);
InfraSpec load_infra_spec(const std::string& path);

}  // namespace podlet::plan
