// Who keeps an allocation alive: a process named by pid AND start time, so a
// recycled pid never keeps a dead pod's address or hostPorts reserved.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>

namespace podlet::network {

struct ProcessIdentity {
  pid_t pid = 0;
  uint64_t start_time = 0;  // field 22 of /proc/<pid>/stat (clock ticks since boot)
  bool operator==(const ProcessIdentity&) const = default;
};

// Reads /proc/<pid>/stat; throws podlet::Error when the process does not exist.
ProcessIdentity identify_process(pid_t pid);
// True when a process with this pid and start time still exists (zombies count as gone).
bool process_alive(const ProcessIdentity& identity);

using LivenessCheck = std::function<bool(const ProcessIdentity&)>;

}  // namespace podlet::network
