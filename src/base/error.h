// The error contract (one page, as crun's design-docs/error_handling.md):
// - Functions that can fail throw podlet::Error. The message says what was being
//   done, on which object, with which value, and the errno text when a syscall failed.
// - Callers add context while the error travels up with with_context (or
//   Error::add_context and `throw;`), which keeps the error's type and fields, so the
//   user reads "pod default/web: container nginx: mount /proc: EPERM". Nobody tests an
//   error's message text: what callers branch on is a type or a field.
// - Code after clone()/fork(), until execve, has one convention (the container's
//   child, exec's processes, runtime/child_report.h): it never throws and allocates
//   nothing it could have computed before the fork (the parent prepares every path,
//   argv, filter and fd); a failed step writes one fixed-size record -- step, errno,
//   exit code -- to a CLOEXEC pipe and leaves with _exit(exit code). A successful
//   execve closes the pipe. The parent reads the pipe: end of file means the program
//   runs, a record becomes the Error it throws (ChildStartError: step, errno, exit code).
//   Children that are only waited for are owned by base/child_process.h (killed and
//   reaped on unwind).
// - Undo steps never fail silently: a rollback or scope guard whose step throws
//   reports what it left behind to the report its owner gave (base/scope_guard.h),
//   and the undo goes on with the next step.
// - Warnings are never errors: they go through spdlog or a Diagnostics list.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>

#include <fmt/core.h>

namespace podlet {

class Error : public std::runtime_error {
 public:
  explicit Error(std::string message, int err = 0)
      : std::runtime_error(std::string()), message_(std::move(message)), errno_(err) {}
  const char* what() const noexcept override { return message_.c_str(); }
  int error_number() const noexcept { return errno_; }

  // Prefixes the message with `context: ` in place, so that `throw;` afterwards
  // rethrows the same object: a subclass (and its fields) survives the context.
  void add_context(const std::string& context) { message_ = context + ": " + message_; }

 private:
  std::string message_;
  int errno_;
};

// Builds an Error for a failed syscall: "<what>: <strerror(errno)>".
Error system_error(const std::string& what, int err = errno);

template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

// Runs f; an Error escaping from it gets `context` prepended and is rethrown as
// the same object (its type kept).
template <typename F>
decltype(auto) with_context(const std::string& context, F&& f) {
  try {
    return f();
  } catch (Error& e) {
    e.add_context(context);
    throw;
  }
}

}  // namespace podlet
