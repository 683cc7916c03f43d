// Who the workload runs as: the image's USER string and the manifest's numeric
// overrides, resolved against the container's own /etc/passwd and /etc/group
// (read inside the root, never the host's). Pure functions: unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podlet::runtime {

struct PasswdEntry {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string home;
};

struct GroupEntry {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
};

// Malformed lines are skipped, as libc does.
std::vector<PasswdEntry> parse_passwd(std::string_view text);
std::vector<GroupEntry> parse_group(std::string_view text);

struct IdentityRequest {
  std::string user;                    // image USER: "name", "uid", "name:group", "uid:gid", or ""
  std::optional<uint32_t> uid;         // runAsUser
  std::optional<uint32_t> gid;         // runAsGroup
  std::vector<uint32_t> supplemental;  // supplementalGroups (+ fsGroup)
};

struct Identity {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> groups;  // supplementary, without duplicates
  std::string home = "/";
};

// Resolves like Docker and the CRI runtimes: runAsUser/runAsGroup win over the
// image's USER; a named user must exist in passwd, a named group in group; the
// primary gid comes from passwd when not given; the user's groups from group.
// Returns false with `error` set when a name cannot be resolved.
bool resolve_identity(const IdentityRequest& request, std::string_view passwd, std::string_view group,
                      Identity& out, std::string& error);

}  // namespace podlet::runtime
