#include "base/directory.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.h"

namespace podlet {

std::vector<std::string> directory_entries(int dir_fd, const std::string& display) {
  int list_fd = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
  if (list_fd < 0) throw system_error("dup " + display);
  DIR* dir = ::fdopendir(list_fd);
  if (!dir) {
    int err = errno;
    ::close(list_fd);
    throw system_error("opendir " + display, err);
  }
  struct DirCloser {
    DIR* d;
    ~DirCloser() { ::closedir(d); }
  } closer{dir};
  // A duplicate shares the file offset: start from the top whatever read it before.
  ::rewinddir(dir);
  std::vector<std::string> names;
  errno = 0;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
    errno = 0;
  }
  if (errno != 0) throw system_error("readdir " + display);
  return names;
}

}  // namespace podlet
