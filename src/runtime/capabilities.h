// The capability sets of the workload: bounding = permitted = effective = the
// spec's list; inheritable and ambient empty (as Podman and the CRI runtimes).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace podlet::runtime {

// A bit per capability number. Names as in capabilities(7) ("CAP_CHOWN", case
// insensitive, the "CAP_" prefix optional) or "ALL". Throws podlet::Error naming an
// unknown capability.
uint64_t parse_capabilities(const std::vector<std::string>& names);
// What podlet can grant: every capability the running kernel knows that is still in
// podlet's own bounding set ("ALL"; a spec's list is cut down to it).
uint64_t all_capabilities();
bool has_capability(uint64_t set, int cap) noexcept;

// Child side, while still root with every capability: drops the bounding set to
// `keep`, switches to uid/gid/groups keeping `keep` permitted and effective, clears
// inheritable and ambient. 0, or -errno with `step` naming the failed call.
int switch_identity(uint64_t keep, uid_t uid, gid_t gid, const std::vector<gid_t>& groups,
                    const char** step) noexcept;

}  // namespace podlet::runtime
