#include "runtime/pod_files.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "base/fs_tree.h"
#include "base/unmount.h"
#include "plan/pod_hosts.h"
#include "runtime/mount_ops.h"
#include "runtime/volume_ownership.h"

namespace podlet::runtime {

namespace {

constexpr uint64_t kNoSuidDevExec = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

// A fresh tmpfs on `path`, replacing whatever a previous run left mounted there.
UniqueFd new_tmpfs(const std::vector<std::string>& data, uint64_t attrs) {
  int fs = ::fsopen("tmpfs", FSOPEN_CLOEXEC);
  if (fs < 0) throw system_error("fsopen tmpfs");
  UniqueFd fs_fd(fs);
  for (const auto& option : data) {
    auto eq = option.find('=');
    std::string key = option.substr(0, eq);
    if (::fsconfig(fs, FSCONFIG_SET_STRING, key.c_str(), option.c_str() + eq + 1, 0) < 0)
      throw system_error("tmpfs option " + option);
  }
  if (::fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) throw system_error("create tmpfs");
  int mnt = ::fsmount(fs, FSMOUNT_CLOEXEC, static_cast<unsigned>(attrs));
  if (mnt < 0) throw system_error("fsmount tmpfs");
  return UniqueFd(mnt);
}

void attach_at(UniqueFd mount_fd, const std::string& path, Rollback& undo) {
  make_dirs(path, 0755);
  unmount_below(path);
  if (::move_mount(mount_fd.get(), "", AT_FDCWD, path.c_str(), MOVE_MOUNT_F_EMPTY_PATH) < 0)
    throw system_error("mount on " + path);
  undo.push("mount on " + path, [path] { unmount_below(path); });
}

std::string size_option(const plan::VolumeSpec& v) {
  return v.size_limit ? "size=" + std::to_string(*v.size_limit) : "";
}

std::vector<std::string> tmpfs_data(std::string mode, const std::string& size) {
  std::vector<std::string> data = {"mode=" + mode};
  if (!size.empty()) data.push_back(size);
  return data;
}

// Writes a configMap/secret file below root_fd without following any link. The
// planner validated the relative path; it is checked again here.
void write_volume_file(int root_fd, const plan::FileSpec& file) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= file.path.size()) {
    size_t slash = file.path.find('/', start);
    std::string part = file.path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..") throw Error("file path \"" + file.path + "\" is not a plain relative path");
    parts.push_back(part);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  UniqueFd dir(::fcntl(root_fd, F_DUPFD_CLOEXEC, 3));
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (::mkdirat(dir.get(), parts[i].c_str(), 0755) < 0 && errno != EEXIST)
      throw system_error("mkdir " + parts[i] + " for " + file.path);
    dir = open_at(dir.get(), parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  }
  UniqueFd out = open_at(dir.get(), parts.back(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  write_all(out.get(), file.content);
  if (::fchmod(out.get(), file.mode & 07777) < 0) throw system_error("chmod " + file.path);
}

// configMap/secret: populated while detached, made read-only, then attached, so the
// host path never shows a half-written volume.
void prepare_content_volume(const plan::VolumeSpec& v, Rollback& undo) {
  UniqueFd mnt = new_tmpfs(tmpfs_data("0755", size_option(v)), kNoSuidDevExec);
  for (const auto& file : v.files) write_volume_file(mnt.get(), file);
  if (v.ownership) set_volume_ownership(mnt.get(), *v.ownership, v.host_path);
  if (set_mount_attrs(mnt.get(), MOUNT_ATTR_RDONLY, 0, 0, false) < 0) throw system_error("make read-only");
  attach_at(std::move(mnt), v.host_path, undo);
}

void check_host_path(const plan::VolumeSpec& v) {
  const std::string& type = v.host_path_type;
  const std::string& path = v.host_path;
  if (type == "DirectoryOrCreate") {
    make_dirs(path, 0755);
    return;
  }
  if (type == "FileOrCreate") {
    int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd < 0) throw system_error("create " + path);
    ::close(fd);
  }
  if (type.empty()) return;
  struct stat st;
  if (::stat(path.c_str(), &st) < 0) throw system_error("hostPath " + path + " (type " + type + ")");
  bool ok = (type == "Directory" && S_ISDIR(st.st_mode)) ||
            ((type == "File" || type == "FileOrCreate") && S_ISREG(st.st_mode)) ||
            (type == "Socket" && S_ISSOCK(st.st_mode)) || (type == "CharDevice" && S_ISCHR(st.st_mode)) ||
            (type == "BlockDevice" && S_ISBLK(st.st_mode));
  if (!ok) throw Error("hostPath " + path + " is not of type " + type);
}

void prepare_volume(const plan::VolumeSpec& v, Rollback& undo) {
  if (v.host_path.empty() || v.host_path.front() != '/') throw Error("host_path is not an absolute path");
  if (v.kind == "empty-dir") {
    // A new pod starts with an empty dir: whatever an earlier run left (links
    // included) is removed without being followed.
    unmount_below(v.host_path);
    remove_tree(v.host_path);
    make_dirs(parent_dir(v.host_path), 0755);
    if (::mkdir(v.host_path.c_str(), 0777) < 0) throw system_error("mkdir " + v.host_path);
    if (::chmod(v.host_path.c_str(), 0777) < 0) throw system_error("chmod " + v.host_path);
    undo.push("emptyDir " + v.host_path, [path = v.host_path] { remove_tree(path); });
  } else if (v.kind == "memory") {
    attach_at(new_tmpfs(tmpfs_data("0777", size_option(v)), MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV), v.host_path,
              undo);
  } else if (v.kind == "config-map" || v.kind == "secret") {
    prepare_content_volume(v, undo);
  } else if (v.kind == "host-path") {
    check_host_path(v);
  } else if (v.kind == "persistent") {
    make_dirs(v.host_path, 0755);
  } else {
    throw Error("unknown kind \"" + v.kind + "\"");
  }
  // fsGroup (configMap and secret volumes got it before they were made read-only).
  if (v.ownership && (v.kind == "empty-dir" || v.kind == "memory" || v.kind == "persistent"))
    set_volume_ownership(v.host_path, *v.ownership);
}

void write_etc_file(const std::string& path, const std::string& content, Rollback& undo) {
  if (path.empty()) return;
  make_dirs(parent_dir(path), 0755);
  write_file_atomic(path, content, 0644);
  undo.push("file " + path, [path] { remove_file(path); });
}

}  // namespace

void prepare_pod_files(const plan::InfraSpec& spec, Rollback& undo) {
  if (!spec.dev_shm.empty()) {
    with_context("pod /dev/shm " + spec.dev_shm, [&] {
      attach_at(new_tmpfs({"mode=1777", "size=65536k"}, kNoSuidDevExec), spec.dev_shm, undo);
    });
  }
  for (const auto& v : spec.volumes) with_context("volume " + v.name, [&] { prepare_volume(v, undo); });
  write_etc_file(spec.etc_hostname, spec.hostname + "\n", undo);
  // The planner computed the content from the host's resolver (pod_dns.h): the
  // runtime reads nothing of the host's here.
  write_etc_file(spec.resolv_conf, spec.resolv_conf_content, undo);
}

void write_etc_hosts(const plan::InfraSpec& spec, const std::string& pod_ip) {
  if (spec.etc_hosts.empty()) return;
  make_dirs(parent_dir(spec.etc_hosts), 0755);
  // The same file the network layer rewrites as peers come and go (pod_hosts.h).
  write_file_atomic(spec.etc_hosts,
                    plan::render_pod_hosts({pod_ip, plan::pod_host_names(spec)}, spec.host_aliases), 0644);
}

std::vector<std::string> remove_pod_files(const plan::InfraSpec& spec) {
  std::vector<std::string> failures;
  auto attempt = [&](const std::string& what, auto&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      failures.push_back(what + ": " + e.what());
    }
  };
  auto remove_mount_dir = [](const std::string& path) {
    unmount_below(path);
    if (::rmdir(path.c_str()) < 0 && errno != ENOENT) throw system_error("rmdir " + path);
  };
  if (!spec.dev_shm.empty()) attempt("pod /dev/shm", [&] { remove_mount_dir(spec.dev_shm); });
  for (const auto& v : spec.volumes) {
    if (v.host_path.empty() || v.host_path.front() != '/') continue;
    if (v.kind == "empty-dir")
      attempt("volume " + v.name, [&] {
        unmount_below(v.host_path);
        remove_tree(v.host_path);
      });
    else if (v.kind == "memory" || v.kind == "config-map" || v.kind == "secret")
      attempt("volume " + v.name, [&] { remove_mount_dir(v.host_path); });
  }
  for (const auto* path : {&spec.etc_hosts, &spec.etc_hostname, &spec.resolv_conf})
    if (!path->empty())
      attempt(*path, [&] {
        if (::unlink(path->c_str()) < 0 && errno != ENOENT) throw system_error("unlink " + *path);
      });
  return failures;
}

}  // namespace podlet::runtime
