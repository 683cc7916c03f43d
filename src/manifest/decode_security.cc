// Decoders for the security context of a container and of a pod.
#include "manifest/decode.h"

namespace podlet::manifest::detail {
namespace {

// Both contexts have these fields, and podlet honours them the same way in both:
// the user (after what only a container has), then, after the rest, the profiles.
template <typename Context>
void read_user(Fields& f, Context& out) {
  if (f.has("seLinuxOptions")) f.not_honoured("seLinuxOptions", "no SELinux on this host");
  f.get("runAsUser", out.run_as_user);
  f.get("runAsGroup", out.run_as_group);
  f.get("runAsNonRoot", out.run_as_non_root);
}

template <typename Context>
void read_profiles(Fields& f, Context& out) {
  f.get("seccompProfile", out.seccomp_profile);
  if (f.has("appArmorProfile")) f.not_honoured("appArmorProfile");
  f.not_honoured("windowsOptions", "Linux only");
}

}  // namespace

void decode(DocContext& c, const Node* n, const std::string& path, SecurityContext& out) {
  Fields f(c, n, path);
  f.get("capabilities", out.capabilities);
  f.get("privileged", out.privileged);
  read_user(f, out);
  f.get("readOnlyRootFilesystem", out.read_only_root_filesystem);
  f.get("allowPrivilegeEscalation", out.allow_privilege_escalation);
  f.get("procMount", out.proc_mount);
  read_profiles(f, out);
}

void decode(DocContext& c, const Node* n, const std::string& path, PodSecurityContext& out) {
  Fields f(c, n, path);
  read_user(f, out);
  f.get("supplementalGroups", out.supplemental_groups);
  f.get("supplementalGroupsPolicy", out.supplemental_groups_policy);
  f.get("fsGroup", out.fs_group);
  f.get("fsGroupChangePolicy", out.fs_group_change_policy);
  f.get("sysctls", out.sysctls);
  read_profiles(f, out);
  f.not_honoured("seLinuxChangePolicy", "no SELinux on this host");
}

}  // namespace podlet::manifest::detail
