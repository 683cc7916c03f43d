// The /proc/self/exe class of escapes (CVE-2019-5736): a process in a container
// that can reach podlet's own binary through /proc/PID/exe (while podlet's child
// is not yet exec'd, or after a "#!/proc/self/exe" trick) must not be able to open
// it for writing. podlet's entrypoints therefore run from a read-only view of their
// binary: a detached read-only bind mount of it, or (where that fails) a sealed memfd copy.
//
// The container entrypoint is a small binary of its own, podlet-runtime, built and
// installed next to podlet (the planner's container units run it from there), so that
// view is cheap to exec: podlet itself loads ~60 shared libraries, which took most of
// a container's start.
#pragma once

#include <string>
#include <vector>

namespace podlet::runtime {

// Re-executes the current process (same argv and environment) from a read-only
// view of its binary, unless it already runs from one. Returns only when it
// already does. Throws podlet::Error when neither view can be made.
void reexec_from_readonly_binary();

// True when /proc/self/exe cannot be written (read-only mount or sealed memfd).
bool running_from_readonly_binary();

// Executes the binary at `path` (argv `args`, this process's environment) from a
// read-only view of it. Throws podlet::Error when it cannot.
[[noreturn]] void exec_readonly_binary(const std::string& path, const std::vector<std::string>& args);

// The podlet-runtime that belongs to the running podlet binary: the one next to it.
// "" when there is none.
std::string find_runtime_binary();

}  // namespace podlet::runtime
