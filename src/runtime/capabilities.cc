#include "runtime/capabilities.h"

#include <grp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "base/error.h"

namespace podlet::runtime {

uint64_t all_capabilities() {
  // Only what podlet itself may pass on: a host (or an outer container) can have
  // taken some out of the bounding set, and asking for those fails capset.
  const cap_value_t max = cap_max_bits();
  uint64_t set = 0;
  for (cap_value_t cap = 0; cap < max && cap < 64; ++cap)
    if (cap_get_bound(cap) == 1) set |= uint64_t{1} << cap;
  return set;
}

bool has_capability(uint64_t set, int cap) noexcept {
  return cap >= 0 && cap < 64 && (set >> cap) & 1;
}

uint64_t parse_capabilities(const std::vector<std::string>& names) {
  uint64_t set = 0;
  for (const auto& name : names) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower == "all" || lower == "cap_all") {
      set |= all_capabilities();
      continue;
    }
    if (lower.rfind("cap_", 0) != 0) lower = "cap_" + lower;
    cap_value_t value;
    if (cap_from_name(lower.c_str(), &value) < 0 || value < 0 || value >= 64)
      throw Error("capabilities: unknown capability \"" + name + "\"");
    set |= uint64_t{1} << value;
  }
  return set;
}

int switch_identity(uint64_t keep, uid_t uid, gid_t gid, const std::vector<gid_t>& groups,
                    const char** step) noexcept {
  auto failed = [&](const char* what) {
    *step = what;
    return -errno;
  };
  const cap_value_t max = cap_max_bits();
  for (cap_value_t cap = 0; cap < max; ++cap)
    if (!has_capability(keep, cap) && cap_drop_bound(cap) < 0) return failed("drop bounding capability");
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return failed("prctl PR_SET_KEEPCAPS");
  if (::setgroups(groups.size(), groups.data()) < 0) return failed("setgroups");
  if (::setresgid(gid, gid, gid) < 0) return failed("setgid");
  if (::setresuid(uid, uid, uid) < 0) return failed("setuid");
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) return failed("prctl PR_SET_KEEPCAPS");

  cap_t caps = cap_init();  // every flag clear: inheritable stays empty
  if (!caps) return failed("cap_init");
  std::vector<cap_value_t> values;
  for (cap_value_t cap = 0; cap < max; ++cap)
    if (has_capability(keep, cap)) values.push_back(cap);
  int rc = 0;
  if (!values.empty() &&
      (cap_set_flag(caps, CAP_PERMITTED, static_cast<int>(values.size()), values.data(), CAP_SET) < 0 ||
       cap_set_flag(caps, CAP_EFFECTIVE, static_cast<int>(values.size()), values.data(), CAP_SET) < 0))
    rc = failed("cap_set_flag");
  if (rc == 0 && cap_set_proc(caps) < 0) rc = failed("capset");
  cap_free(caps);
  if (rc < 0) return rc;
  if (cap_reset_ambient() < 0 && errno != EINVAL) return failed("clear ambient capabilities");
  return 0;
}

}  // namespace podlet::runtime
