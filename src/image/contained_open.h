// Opening a file named by an untrusted archive inside the directory it was
// unpacked to: symlinks and ".." resolve as if that directory were "/".
#pragma once

#include <string>

#include "base/fd.h"

namespace podlet::image {

UniqueFd open_in_root(int root_fd, const std::string& path, int flags = 0);

}  // namespace podlet::image
