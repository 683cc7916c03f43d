// Pseudo-terminals for containers (`tty: true`) and `podlet exec -t`. A pty always
// comes from the container's own devpts instance (/dev/pts mounted newinstance), so
// the name its processes see (/dev/pts/N) exists inside the container and nothing of
// the host's devpts is reachable. The master is opened through a root fd without
// following any symlink, and the slave is derived from the master (TIOCGPTPEER), never
// looked up by path. Every function is noexcept and returns an fd or 0, or -errno:
// they run in children after clone3/fork as well.
#pragma once

#include <sys/ioctl.h>
#include <sys/types.h>

namespace podlet::runtime {

// The window size a terminal gets when nobody tells a better one.
inline constexpr winsize kDefaultWindowSize = {24, 80, 0, 0};

// Opens a new pty master of the devpts instance mounted at /dev/pts under root_fd
// (openat2 RESOLVE_IN_ROOT, no symlinks, no magic links; the result must be a devpts
// ptmx node) and unlocks its slave. The fd is O_CLOEXEC.
int open_pty_master(int root_fd) noexcept;

// How the terminal's output is processed.
enum class TerminalOutput {
  kLog,          // a container's tty read into the journal: "\n" stays "\n" (ONLCR off, as runc)
  kInteractive,  // a user's terminal at the other end: the usual "\n" -> "\r\n"
};

// Opens the slave of `master` (O_RDWR | O_NOCTTY | O_CLOEXEC), owned by `owner` (its
// group stays devpts' tty group), with sane cooked-mode settings and window size `size`
// (kDefaultWindowSize when a dimension is 0).
int open_pty_slave(int master, uid_t owner, TerminalOutput output, winsize size) noexcept;

// The calling process becomes a session leader with `slave` as its controlling terminal
// on fds 0, 1 and 2 (setsid, TIOCSCTTY); `slave` itself is closed when it is above 2.
int become_terminal_session(int slave) noexcept;

// Passes `fd` over the unix socket `sock` (SCM_RIGHTS), and receives it on the other
// side (O_CLOEXEC). receive_fd does not block: -EAGAIN when nothing was sent.
int send_fd(int sock, int fd) noexcept;
int receive_fd(int sock) noexcept;

// Writes all of data to fd (a terminal or the journal stream), retrying on EINTR and
// short writes. 0, or -errno.
int write_all(int fd, const char* data, size_t size) noexcept;

}  // namespace podlet::runtime
