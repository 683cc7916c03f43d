// Creating and removing directory trees on the host. Removal is written for trees
// an untrusted process could have written into (a container's emptyDir or upper
// dir): it works from directory fds, never follows a symlink and never crosses
// into another mount.
#pragma once

#include <sys/types.h>

#include <string>

namespace podlet {

// mkdir -p: missing parents get 0755, `path` itself `mode` (when it is created;
// an existing directory is left as it is). Throws podlet::Error naming the path.
void make_dirs(const std::string& path, mode_t mode = 0755);

// Removes `path` and everything below it without following any symlink inside it
// and without crossing into mounts (a mount in the way is an error: unmount_below
// first). A missing path is fine. Throws podlet::Error naming what was left.
void remove_tree(const std::string& path);

// unlink(2) that is fine with a missing file. Throws podlet::Error naming the path.
void remove_file(const std::string& path);

}  // namespace podlet
