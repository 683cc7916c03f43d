// Unmounting what podlet (or a previous, crashed run) left mounted on the host.
#pragma once

#include <string>

namespace podlet {

// True when `path` itself (not following a final symlink) is the root of a mount.
bool is_mount_point(const std::string& path);

// Lazily unmounts every mount on `path` (stacked ones included) and below it,
// deepest first; returns how many were unmounted. Mounts below are reached by
// walking down from `path` with directory fds that never follow a symlink, so a
// link planted in the tree cannot redirect an unmount to a host mount. A missing
// `path` is fine. Throws podlet::Error on failures other than "not mounted".
int unmount_below(const std::string& path);

}  // namespace podlet
