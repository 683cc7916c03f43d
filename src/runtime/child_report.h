// The error channel from a child after clone3 to its parent (as crun's and runc's):
// a CLOEXEC pipe. The child writes at most one fixed-size record naming the failed
// step and _exits; a successful execve closes the pipe, so EOF without a record
// means the workload runs.
#pragma once

#include <optional>
#include <string>

namespace podlet::runtime {

struct ChildFailure {
  std::string step;             // "mount /proc", "setuid 1000", "exec /bin/app"
  int error = 0;                // errno, 0 when the message says it all
  int exit_code = 0;            // what the entrypoint exits with
  std::string message() const;  // "step: errno text"
};

// Child side: writes the record ("step detail") and leaves with _exit(exit_code). Never
// returns; the const char* form allocates nothing.
[[noreturn]] void child_fail(int fd, const char* step, const char* detail, int error, int exit_code) noexcept;
[[noreturn]] void child_fail(int fd, const char* step, const std::string& detail, int error,
                             int exit_code) noexcept;

// Parent side: blocks until the record or EOF; EOF means success (nullopt).
std::optional<ChildFailure> read_child_failure(int fd);

}  // namespace podlet::runtime
