// fsGroup ownership of the volumes the infra prepares (Kubernetes' SetVolumeOwnership,
// pkg/volume/volume_linux.go): every entry gets the group, group (and owner) read and
// write (read only for read-only volumes); directories also search and setgid, so what
// containers create later gets the group too. The walk runs on the host over trees a
// container may have written: it never follows a symlink (it changes the link's own
// group and never its mode) and never crosses into another mount.
#pragma once

#include <sys/types.h>

#include <string>

#include "plan/runtime_spec.h"

namespace podlet::runtime {

// The mode an entry whose mode (with its type bits) was `mode` gets.
mode_t owned_mode(mode_t mode, bool read_only);

// fsGroupChangePolicy OnRootMismatch: true when the volume root (its group and mode,
// type bits included) already is what a walk would leave, so the walk is skipped.
bool root_owned(gid_t gid, mode_t mode, const plan::VolumeOwnership& o);

// Applies `o` to the directory tree open as dir_fd (any fd of the directory, O_PATH or
// a detached mount included); `display` names it in errors. Throws podlet::Error
// ("chown PATH: errno text").
void set_volume_ownership(int dir_fd, const plan::VolumeOwnership& o, const std::string& display);
void set_volume_ownership(const std::string& path, const plan::VolumeOwnership& o);

}  // namespace podlet::runtime
