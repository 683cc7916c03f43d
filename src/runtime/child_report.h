// The error channel from a child after clone3/fork to its parent (as crun's and
// runc's), the one convention for code after clone (base/error.h): such code never
// throws and allocates only where it cannot be avoided (what it needs is computed by
// the parent before); a failed step writes at most one fixed-size record to a CLOEXEC
// pipe (child_fail) and leaves with _exit. A successful execve closes the pipe, so EOF
// without a record means the program runs. exec's intermediate process and its
// command share one pipe: the intermediate reports only before it forks the command
// and closes its end after, so there is still one record at most.
// The parent turns the record into a ChildStartError (thrown as ContainerStartError
// or ExecError) with the record's exit code (125 setup, 126 cannot execute, 127 not found).
#pragma once

#include <optional>
#include <string>

#include "base/error.h"

namespace podlet::runtime {

// A process podlet starts could not start: the message names the step, exit_code() is
// what the entrypoint or exec exits with (ContainerExit: 125, 126 or 127).
class ChildStartError : public Error {
 public:
  ChildStartError(std::string message, int err, int exit_code)
      : Error(std::move(message), err), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

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
