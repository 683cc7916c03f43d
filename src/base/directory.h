// Listing a directory held open by fd, so walks that must not follow links or
// leave a mount never resolve a path twice.
#pragma once

#include <string>
#include <vector>

namespace podlet {

// The names in the directory open as `dir_fd` (not "." and ".."), read through a
// duplicate so `dir_fd` stays usable for openat/unlinkat. Reading everything first
// lets the caller change the directory while it goes through the names.
// Throws podlet::Error naming `display` (the directory as the user knows it).
std::vector<std::string> directory_entries(int dir_fd, const std::string& display);

}  // namespace podlet
