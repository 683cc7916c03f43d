#include "base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>

#include "base/error.h"
#include "base/fd.h"

namespace podlet {

void write_file_atomic(const std::string& path, std::string_view data, int mode) {
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(std::random_device{}());
  {
    UniqueFd fd = open_fd(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    try {
      write_all(fd.get(), data);
      if (::fchmod(fd.get(), static_cast<mode_t>(mode)) < 0) throw system_error("chmod " + tmp);
      if (::fsync(fd.get()) < 0) throw system_error("fsync " + tmp);
    } catch (...) {
      ::unlink(tmp.c_str());
      throw;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) < 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw system_error("rename " + tmp + " to " + path, err);
  }
  UniqueFd dfd = open_fd(dir, O_RDONLY | O_DIRECTORY);
  ::fsync(dfd.get());
}

std::string read_file(const std::string& path) {
  UniqueFd fd = open_fd(path, O_RDONLY);
  try {
    return read_all(fd.get());
  } catch (Error& e) {
    e.add_context(path);
    throw;
  }
}

}  // namespace podlet
