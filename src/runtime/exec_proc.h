// What `podlet exec` reads of the container's workload in /proc: its credentials and
// capability bounding set (/proc/PID/status) and its initial environment
// (/proc/PID/environ). Pure parsers, so that they can be tested on text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace podlet::runtime {

// What the workload runs as, read from /proc/PID/status.
struct ProcessCredentials {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> groups;
  uint64_t cap_bounding = 0;
  bool no_new_privs = false;
  bool seccomp = false;  // a seccomp filter is loaded
};

// Parses the text of /proc/PID/status. Throws podlet::Error when a field is missing.
ProcessCredentials parse_proc_status(const std::string& status_text);

// Splits /proc/PID/environ ("K=V\0K=V\0").
std::vector<std::string> parse_environ(const std::string& environ_text);

}  // namespace podlet::runtime
