// Host-side filesystem steps of the runtime (throwing, never used after clone3):
// creating state dirs, removing trees a container could have written into, and
// unmounting what a previous run left behind.
#pragma once

#include <sys/types.h>

#include <string>

namespace podlet::runtime {

// mkdir -p; existing directories are fine. Throws podlet::Error.
void make_dirs(const std::string& path, mode_t mode = 0755);

// Removes `path` and everything below it without following any symlink inside it
// (a container may have planted links in an emptyDir or an upper dir) and without
// crossing into mounts. A missing path is fine. Throws podlet::Error.
void remove_tree(const std::string& path);

// True when `path` itself (not following a final symlink) is the root of a mount.
bool is_mount_point(const std::string& path);

// Unmounts everything stacked on `path` (lazily, not following symlinks); returns
// how many mounts were removed. Throws podlet::Error on failures other than "not mounted".
int unmount_all(const std::string& path);

}  // namespace podlet::runtime
