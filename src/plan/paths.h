// Where podlet keeps state. Persistent data (images, volumes, IPAM) lives under
// root (default /var/lib/podlet, $PODLET_ROOT, --root); runtime state of running
// pods under runroot (default /run/podlet, $PODLET_RUNROOT, --runroot).
#pragma once

#include <string>

namespace podlet::plan {

// The container runtime's binary, installed beside podlet: units the planner writes
// run it from podlet's directory, where the CLI and the runtime look for it.
inline constexpr const char* kRuntimeBinaryName = "podlet-runtime";

struct Paths {
  std::string root = "/var/lib/podlet";
  std::string runroot = "/run/podlet";

  // Defaults overridden by PODLET_ROOT / PODLET_RUNROOT.
  static Paths from_environment();

  std::string image_store() const { return root + "/storage"; }
  std::string volumes() const { return root + "/volumes"; }
  std::string ipam() const { return root + "/ipam"; }
  // A pod's id is "<namespace>_<name>": '_' cannot occur in either (DNS-1123).
  std::string pod_state(const std::string& pod_id) const { return runroot + "/pods/" + pod_id; }
  std::string pod_data(const std::string& pod_id) const { return root + "/pods/" + pod_id; }
  // The specs of generated unit files: persistent, as the units must survive reboots.
  std::string pod_unit_specs(const std::string& pod_id) const { return pod_data(pod_id) + "/specs"; }
};

std::string pod_id(const std::string& ns, const std::string& name);

}  // namespace podlet::plan
