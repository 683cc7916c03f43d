#include "runtime/tty.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/syscalls.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

namespace podlet::runtime {

namespace {

int fail_closing(int fd, int err) noexcept {
  ::close(fd);
  return -err;
}

// One byte with room for one fd (SCM_RIGHTS), as both directions of the terminal's
// socket use it; points into itself, so it stays where it was made.
struct FdMessage {
  char byte;
  iovec iov;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  explicit FdMessage(char b) noexcept : byte(b), iov{&byte, 1} {
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
  }
  FdMessage(const FdMessage&) = delete;
  FdMessage& operator=(const FdMessage&) = delete;
};

}  // namespace

int open_pty_master(int root_fd) noexcept {
  // No symlink at all: /dev/ptmx (a link) is skipped and a container that replaced a
  // path component by a link gets ELOOP instead of a pty of somewhere else.
  int fd = sys::openat2(root_fd, "dev/pts/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0,
                        RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  if (fd < 0) return -errno;
  struct statfs fs;
  struct stat st;
  if (::fstatfs(fd, &fs) < 0 || ::fstat(fd, &st) < 0) return fail_closing(fd, errno);
  if (fs.f_type != DEVPTS_SUPER_MAGIC || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
    return fail_closing(fd, ENOTTY);
  int unlock = 0;
  if (::ioctl(fd, TIOCSPTLCK, &unlock) < 0) return fail_closing(fd, errno);
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) return fail_closing(fd, errno);
  return fd;
}

int open_pty_slave(int master, uid_t owner, TerminalOutput output, winsize size) noexcept {
  int slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) return -errno;
  if (::fchown(slave, owner, static_cast<gid_t>(-1)) < 0) return fail_closing(slave, errno);
  // The kernel's defaults for a new pty are sane cooked settings (tty_std_termios);
  // only UTF-8 input and the output mode are decided here.
  struct termios t;
  if (::tcgetattr(slave, &t) < 0) return fail_closing(slave, errno);
  t.c_iflag |= IUTF8;
  if (output == TerminalOutput::kLog)
    t.c_oflag &= ~ONLCR;
  else
    t.c_oflag |= OPOST | ONLCR;
  if (::tcsetattr(slave, TCSANOW, &t) < 0) return fail_closing(slave, errno);
  if (size.ws_row == 0 || size.ws_col == 0) size = kDefaultWindowSize;
  if (::ioctl(slave, TIOCSWINSZ, &size) < 0) return fail_closing(slave, errno);
  return slave;
}

int become_terminal_session(int slave) noexcept {
  if (::setsid() < 0) return -errno;
  if (::ioctl(slave, TIOCSCTTY, 0) < 0) return -errno;
  for (int target = 0; target <= 2; ++target)
    if (::dup2(slave, target) < 0) return -errno;
  if (slave > 2) ::close(slave);
  return 0;
}

int send_fd(int sock, int fd) noexcept {
  FdMessage m('t');
  cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t n;
  do n = ::sendmsg(sock, &m.msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == 1 ? 0 : n < 0 ? -errno : -EIO;
}

int receive_fd(int sock) noexcept {
  FdMessage m(0);
  ssize_t n;
  do n = ::recvmsg(sock, &m.msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
  if (n != 1 || !c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
      c->cmsg_len != CMSG_LEN(sizeof(int)))
    return -EPROTO;
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
  return fd;
}

int write_all(int fd, const char* data, size_t size) noexcept {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace podlet::runtime
