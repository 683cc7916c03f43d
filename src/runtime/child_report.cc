#include "runtime/child_report.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/error.h"

namespace podlet::runtime {

namespace {

// One record, smaller than PIPE_BUF so the write is atomic.
struct Record {
  int error;
  int exit_code;
  char step[1024];
};
static_assert(sizeof(Record) < 4096);

}  // namespace

std::string ChildFailure::message() const {
  if (error == 0) return step;
  return step + ": " + std::strerror(error);
}

void child_fail(int fd, const char* step, const char* detail, int error, int exit_code) noexcept {
  Record record;
  std::memset(&record, 0, sizeof record);
  record.error = error;
  record.exit_code = exit_code;
  std::snprintf(record.step, sizeof record.step, "%s%s%s", step, *detail ? " " : "", detail);
  ssize_t unused = ::write(fd, &record, sizeof record);
  (void)unused;
  ::_exit(exit_code);
}

void child_fail(int fd, const char* step, const std::string& detail, int error, int exit_code) noexcept {
  child_fail(fd, step, detail.c_str(), error, exit_code);
}

std::optional<ChildFailure> read_child_failure(int fd) {
  Record record;
  size_t got = 0;
  while (got < sizeof record) {
    ssize_t n = ::read(fd, reinterpret_cast<char*>(&record) + got, sizeof record - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw system_error("read child status");
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got == 0) return std::nullopt;
  if (got != sizeof record) throw Error("child status: truncated record");
  record.step[sizeof record.step - 1] = '\0';
  return ChildFailure{record.step, record.error, record.exit_code};
}

}  // namespace podlet::runtime
