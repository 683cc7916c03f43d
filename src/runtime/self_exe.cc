#include "runtime/self_exe.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "plan/paths.h"

extern char** environ;

namespace podlet::runtime {

namespace {

constexpr const char* kMarker = "_PODLET_REEXEC";

std::vector<std::string> own_argv() {
  std::string cmdline = read_file("/proc/self/cmdline");
  std::vector<std::string> args;
  size_t start = 0;
  while (start < cmdline.size()) {
    size_t end = cmdline.find('\0', start);
    if (end == std::string::npos) end = cmdline.size();
    args.push_back(cmdline.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

[[noreturn]] void exec_fd(int fd, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::setenv(kMarker, "1", 1);
  ::execveat(fd, "", argv.data(), environ, AT_EMPTY_PATH);
  throw system_error("exec from a read-only view of its binary");
}

// Detached bind mount of the binary, made read-only: nothing else holds it, so
// nothing can remount it writable.
int readonly_bind_of(const char* path) {
  int tree = ::open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0) return -1;
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID;
  if (::mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
    ::close(tree);
    return -1;
  }
  return tree;
}

int sealed_copy_of(const char* path) {
  UniqueFd src = open_fd(path, O_RDONLY);
  struct stat st;
  if (::fstat(src.get(), &st) < 0) throw system_error(std::string("stat ") + path);
  int mem = ::memfd_create("podlet", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mem < 0) throw system_error("memfd_create");
  UniqueFd out(mem);
  off_t offset = 0;
  while (offset < st.st_size) {
    ssize_t n = ::sendfile(mem, src.get(), &offset, static_cast<size_t>(st.st_size - offset));
    if (n <= 0) throw system_error(std::string("copy ") + path);
  }
  if (::fcntl(mem, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
    throw system_error(std::string("seal the copy of ") + path);
  return out.release();
}

int readonly_view_of(const char* path) {
  int fd = readonly_bind_of(path);
  return fd >= 0 ? fd : sealed_copy_of(path);
}

bool is_executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

bool running_from_readonly_binary() {
  int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  UniqueFd guard(fd);
  int seals = ::fcntl(fd, F_GET_SEALS);
  if (seals >= 0 && (seals & F_SEAL_WRITE)) return true;
  struct statvfs vfs;
  return ::fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
}

void reexec_from_readonly_binary() {
  if (running_from_readonly_binary()) {
    ::unsetenv(kMarker);
    return;
  }
  if (std::getenv(kMarker)) throw Error("re-exec of podlet did not yield a read-only binary");
  exec_fd(readonly_view_of("/proc/self/exe"), own_argv());
}

void exec_readonly_binary(const std::string& path, const std::vector<std::string>& args) {
  try {
    exec_fd(readonly_view_of(path.c_str()), args);
  } catch (Error& e) {
    e.add_context(path);
    throw;
  }
}

std::string find_runtime_binary() {
  char self[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  std::string dir(self, static_cast<size_t>(n));
  std::string candidate = dir.erase(dir.find_last_of('/') + 1) + plan::kRuntimeBinaryName;
  return is_executable_file(candidate) ? candidate : "";
}

}  // namespace podlet::runtime
