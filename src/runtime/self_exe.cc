#include "runtime/self_exe.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"

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

[[noreturn]] void exec_fd(int fd) {
  auto args = own_argv();
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::setenv(kMarker, "1", 1);
  ::execveat(fd, "", argv.data(), environ, AT_EMPTY_PATH);
  throw system_error("re-exec podlet from a read-only view of its binary");
}

// Detached bind mount of the binary, made read-only: nothing else holds it, so
// nothing can remount it writable.
int readonly_bind_of_self() {
  int tree = ::open_tree(AT_FDCWD, "/proc/self/exe", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0) return -1;
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID;
  if (::mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
    ::close(tree);
    return -1;
  }
  return tree;
}

int sealed_copy_of_self() {
  UniqueFd src = open_fd("/proc/self/exe", O_RDONLY);
  struct stat st;
  if (::fstat(src.get(), &st) < 0) throw system_error("stat /proc/self/exe");
  int mem = ::memfd_create("podlet", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mem < 0) throw system_error("memfd_create");
  UniqueFd out(mem);
  off_t offset = 0;
  while (offset < st.st_size) {
    ssize_t n = ::sendfile(mem, src.get(), &offset, static_cast<size_t>(st.st_size - offset));
    if (n <= 0) throw system_error("copy podlet's binary");
  }
  if (::fcntl(mem, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
    throw system_error("seal podlet's copy");
  return out.release();
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
  int fd = readonly_bind_of_self();
  if (fd < 0) fd = sealed_copy_of_self();
  exec_fd(fd);
}

}  // namespace podlet::runtime
