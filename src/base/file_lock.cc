#include "base/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include "base/error.h"

namespace podlet {

FileLock::FileLock(const std::string& path, Mode mode) : path_(path) {
  fd_ = open_fd(path, O_RDWR | O_CREAT | O_NOFOLLOW, 0600);
  int op = mode == Mode::kExclusive ? LOCK_EX : LOCK_SH;
  while (::flock(fd_.get(), op) < 0) {
    if (errno != EINTR) throw system_error("lock " + path);
  }
}

}  // namespace podlet
