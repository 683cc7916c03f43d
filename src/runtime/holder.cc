#include "runtime/holder.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

// The holder's binary, built by src/runtime/CMakeLists.txt, inside podlet's own.
asm(R"(
  .section .rodata
  .balign 16
  .global podlet_holder_image
  .hidden podlet_holder_image
podlet_holder_image:
  .incbin ")" PODLET_HOLDER_PATH R"("
  .global podlet_holder_image_end
  .hidden podlet_holder_image_end
podlet_holder_image_end:
  .previous
)");

extern "C" const char podlet_holder_image[];
extern "C" const char podlet_holder_image_end[];

namespace podlet::runtime {

int exec_holder() noexcept {
  int fd = ::memfd_create("podlet-infra", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return -errno;
  const char* data = podlet_holder_image;
  size_t left = static_cast<size_t>(podlet_holder_image_end - podlet_holder_image);
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      ::close(fd);
      return -err;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  // Nothing can change the running holder's code, not even through /proc/PID/exe.
  if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
    int err = errno;
    ::close(fd);
    return -err;
  }
  char name[] = "podlet-infra";
  char* argv[] = {name, nullptr};
  char* envp[] = {nullptr};
  ::syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
  int err = errno;
  ::close(fd);
  return -err;
}

}  // namespace podlet::runtime
