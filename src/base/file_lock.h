// An exclusive flock(2) on a lock file, held for the object's lifetime. Used to
// serialise concurrent podlet processes on the image store, IPAM and pod state.
#pragma once

#include <string>

#include "base/fd.h"

namespace podlet {

class FileLock {
 public:
  enum class Mode { kExclusive, kShared };
  // Creates the lock file if needed and blocks until the lock is held.
  explicit FileLock(const std::string& path, Mode mode = Mode::kExclusive);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  UniqueFd fd_;
};

}  // namespace podlet
