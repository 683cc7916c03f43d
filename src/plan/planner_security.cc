// Isolation defaults as strict as Podman's, adjusted by securityContext the way
// Kubernetes' CRI runtimes do.
#include <algorithm>
#include <cctype>

#include <fmt/core.h>

#include "plan/planner_internal.h"

namespace podlet::plan::detail {

// Podman's default capability set (containers.conf default_capabilities).
const std::vector<std::string> kDefaultCapabilities = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FOWNER",  "CAP_FSETID", "CAP_KILL",      "CAP_NET_BIND_SERVICE",
    "CAP_SETFCAP", "CAP_SETGID",       "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"};

// Podman's masked paths (bind of /dev/null or an empty read-only tmpfs) ...
const std::vector<std::string> kMaskedPaths = {"/proc/acpi",        "/proc/kcore",
                                               "/proc/keys",        "/proc/latency_stats",
                                               "/proc/sched_debug", "/proc/scsi",
                                               "/proc/timer_list",  "/proc/timer_stats",
                                               "/sys/dev/block",    "/sys/devices/virtual/powercap",
                                               "/sys/firmware",     "/sys/fs/selinux"};
// ... and read-only paths.
const std::vector<std::string> kReadonlyPaths = {"/proc/asound", "/proc/bus", "/proc/fs",
                                                 "/proc/irq",    "/proc/sys", "/proc/sysrq-trigger"};

namespace {

// Every capability in capabilities(7) up to CAP_CHECKPOINT_RESTORE (Linux 5.9); the
// runtime drops those the running kernel does not know.
const std::vector<std::string> kAllCapabilities = {"CAP_CHOWN",
                                                   "CAP_DAC_OVERRIDE",
                                                   "CAP_DAC_READ_SEARCH",
                                                   "CAP_FOWNER",
                                                   "CAP_FSETID",
                                                   "CAP_KILL",
                                                   "CAP_SETGID",
                                                   "CAP_SETUID",
                                                   "CAP_SETPCAP",
                                                   "CAP_LINUX_IMMUTABLE",
                                                   "CAP_NET_BIND_SERVICE",
                                                   "CAP_NET_BROADCAST",
                                                   "CAP_NET_ADMIN",
                                                   "CAP_NET_RAW",
                                                   "CAP_IPC_LOCK",
                                                   "CAP_IPC_OWNER",
                                                   "CAP_SYS_MODULE",
                                                   "CAP_SYS_RAWIO",
                                                   "CAP_SYS_CHROOT",
                                                   "CAP_SYS_PTRACE",
                                                   "CAP_SYS_PACCT",
                                                   "CAP_SYS_ADMIN",
                                                   "CAP_SYS_BOOT",
                                                   "CAP_SYS_NICE",
                                                   "CAP_SYS_RESOURCE",
                                                   "CAP_SYS_TIME",
                                                   "CAP_SYS_TTY_CONFIG",
                                                   "CAP_MKNOD",
                                                   "CAP_LEASE",
                                                   "CAP_AUDIT_WRITE",
                                                   "CAP_AUDIT_CONTROL",
                                                   "CAP_SETFCAP",
                                                   "CAP_MAC_OVERRIDE",
                                                   "CAP_MAC_ADMIN",
                                                   "CAP_SYSLOG",
                                                   "CAP_WAKE_ALARM",
                                                   "CAP_BLOCK_SUSPEND",
                                                   "CAP_AUDIT_READ",
                                                   "CAP_PERFMON",
                                                   "CAP_BPF",
                                                   "CAP_CHECKPOINT_RESTORE"};

// "net_admin" / "NET_ADMIN" / "CAP_NET_ADMIN" -> "CAP_NET_ADMIN".
std::string normalize_cap(std::string name) {
  for (auto& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (!name.starts_with("CAP_")) name = "CAP_" + name;
  return name;
}

bool is_all(const std::string& name) {
  std::string n = name;
  for (auto& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return n == "ALL" || n == "CAP_ALL";
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

const manifest::SecurityContext* container_security(const manifest::Container& c) {
  return c.security_context ? &*c.security_context : nullptr;
}

std::vector<std::string> plan_capabilities(const PodContext& pod, const ContainerContext& c) {
  const auto* sc = container_security(c.c);
  if (sc && sc->privileged.value_or(false)) return kAllCapabilities;
  std::vector<std::string> caps = kDefaultCapabilities;
  if (!sc || !sc->capabilities) return caps;
  const auto& add = sc->capabilities->add;
  const auto& drop = sc->capabilities->drop;
  // As containerd: ALL first (add ALL, then drop ALL), then single adds, then single drops,
  // so add: [ALL] drop: [CHOWN] is everything but CAP_CHOWN.
  if (std::any_of(add.begin(), add.end(), is_all)) caps = kAllCapabilities;
  if (std::any_of(drop.begin(), drop.end(), is_all)) caps.clear();
  auto check = [&](const std::string& list, size_t i, const std::string& cap) {
    if (!contains(kAllCapabilities, cap))
      pod.fail(fmt::format("{}.securityContext.capabilities.{}[{}]", c.path, list, i),
               fmt::format("unknown capability {}", cap));
  };
  for (size_t i = 0; i < add.size(); ++i) {
    if (is_all(add[i])) continue;
    std::string cap = normalize_cap(add[i]);
    check("add", i, cap);
    if (!contains(caps, cap)) caps.push_back(cap);
  }
  for (size_t i = 0; i < drop.size(); ++i) {
    if (is_all(drop[i])) continue;
    std::string cap = normalize_cap(drop[i]);
    check("drop", i, cap);
    std::erase(caps, cap);
  }
  // Stable order: the kernel's numbering.
  std::vector<std::string> ordered;
  for (const auto& cap : kAllCapabilities)
    if (contains(caps, cap)) ordered.push_back(cap);
  return ordered;
}

void plan_security(const PodContext& pod, const ContainerContext& c, ContainerSpec& out) {
  const auto* sc = container_security(c.c);
  const auto& psc = pod.pod.spec.security_context;
  out.privileged = sc && sc->privileged.value_or(false);
  out.process.capabilities.names = plan_capabilities(pod, c);
  out.root.read_only = sc && sc->read_only_root_filesystem.value_or(false);

  // seccomp: container over pod; unset means RuntimeDefault (Podman's default, and
  // Kubernetes' with SeccompDefault); privileged containers run unconfined.
  std::optional<manifest::SeccompProfile> profile =
      sc && sc->seccomp_profile ? sc->seccomp_profile : psc.seccomp_profile;
  if (out.privileged) {
    out.process.seccomp.mode = "unconfined";
  } else if (!profile || profile->type == "RuntimeDefault") {
    out.process.seccomp.mode = "runtime-default";
  } else if (profile->type == "Unconfined") {
    out.process.seccomp.mode = "unconfined";
  } else if (profile->type == "Localhost") {
    // kubelet reads Localhost profiles relative to its seccomp root; podlet's is <root>/seccomp.
    if (profile->localhost_profile.empty() || profile->localhost_profile.starts_with("/") ||
        profile->localhost_profile.find("..") != std::string::npos)
      pod.fail(c.path + ".securityContext.seccompProfile.localhostProfile",
               "must be a relative path below the seccomp profile root without '..'");
    out.process.seccomp.mode = "localhost";
    out.process.seccomp.profile_path = pod.options.paths.root + "/seccomp/" + profile->localhost_profile;
  } else {
    pod.fail(c.path + ".securityContext.seccompProfile.type",
             fmt::format("unsupported type {}", profile->type));
  }

  // Privileged containers get a writable /sys; every container the same few devices
  // (Kubernetes gives privileged ones all of the host's: podlet does not).
  out.sysfs_read_only = !out.privileged;
  out.devices = default_devices();

  // Privileged containers and procMount: Unmasked see /proc and /sys unmasked.
  bool unmasked = out.privileged || (sc && sc->proc_mount.value_or("Default") == "Unmasked");
  if (!unmasked) {
    out.masked_paths = kMaskedPaths;
    out.readonly_paths = kReadonlyPaths;
  }
}

}  // namespace podlet::plan::detail
