// Path resolution that never leaves a root directory, for paths that come from an
// image or a manifest (mount destinations, working dir, /etc/passwd). Symlinks and
// ".." are resolved as if root_fd were "/" (openat2 RESOLVE_IN_ROOT); magic links
// (/proc/self/fd/N, /proc/self/exe) are refused. All functions are noexcept and
// return an fd, or -errno: they run in the child after clone3.
#pragma once

#include <sys/types.h>

#include <string_view>

namespace podlet::runtime {

// openat2(root_fd, path, flags | O_CLOEXEC) resolved inside the root.
int open_in_root(int root_fd, std::string_view path, int flags, mode_t mode = 0) noexcept;

enum class NodeKind { kDirectory, kFile };

// Returns an O_PATH fd of `path` inside the root, creating missing parent
// directories (mode 0755) and the last component (a directory, or an empty file)
// when absent. A dangling symlink at the last component is replaced by the node:
// it lives in the container's own writable layer, never on the host.
int ensure_in_root(int root_fd, std::string_view path, NodeKind kind) noexcept;

}  // namespace podlet::runtime
