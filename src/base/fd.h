// A move-only owner of a file descriptor. Copying is impossible (no silent dup);
// release() hands ownership out. Every fd podlet opens is O_CLOEXEC.
#pragma once

#include <string>
#include <utility>

namespace podlet {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

// open(2)/openat(2) with O_CLOEXEC added; throws podlet::Error naming the path.
UniqueFd open_fd(const std::string& path, int flags, int mode = 0);
UniqueFd open_at(int dirfd, const std::string& path, int flags, int mode = 0);

// A pipe pair, both ends O_CLOEXEC.
struct Pipe {
  UniqueFd read;
  UniqueFd write;
};
Pipe make_pipe();

// Reads/writes the whole buffer, retrying on EINTR and short transfers.
std::string read_all(int fd);
void write_all(int fd, std::string_view data);

}  // namespace podlet
