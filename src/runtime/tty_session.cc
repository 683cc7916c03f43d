#include "runtime/tty_session.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/error.h"
#include "base/fd.h"
#include "runtime/syscalls.h"
#include "runtime/tty.h"

namespace podlet::runtime {

namespace {

constexpr int kSessionSignals[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT};
constexpr int kDrainTimeoutMs = 1000;  // after the child exited, when no EIO comes
constexpr char kEndOfFile = 4;         // VEOF of a fresh pty (Ctrl-D)

void resize(int master) {
  winsize size = local_window_size();
  if (size.ws_row && size.ws_col) ::ioctl(master, TIOCSWINSZ, &size);  // the kernel sends SIGWINCH
}

// Reads what the pty has for stdout. false once it is drained (EIO: no slave left).
bool copy_output(int master) {
  char buf[65536];
  ssize_t n = ::read(master, buf, sizeof buf);
  if (n > 0) {
    (void)write_all(1, buf, static_cast<size_t>(n));  // a closed stdout must not stop the command
    return true;
  }
  return n < 0 && (errno == EAGAIN || errno == EINTR);
}

}  // namespace

RawTerminal::RawTerminal(int fd) noexcept {
  if (!::isatty(fd) || ::tcgetattr(fd, &saved_) < 0) return;
  termios raw = saved_;
  ::cfmakeraw(&raw);
  if (::tcsetattr(fd, TCSANOW, &raw) == 0) fd_ = fd;
}

RawTerminal::~RawTerminal() {
  if (fd_ >= 0) ::tcsetattr(fd_, TCSADRAIN, &saved_);
}

SessionSignals::SessionSignals() noexcept {
  sigemptyset(&set_);
  for (int sig : kSessionSignals) sigaddset(&set_, sig);
  ::sigprocmask(SIG_BLOCK, &set_, &saved_);
}

SessionSignals::~SessionSignals() {
  ::sigprocmask(SIG_SETMASK, &saved_, nullptr);
}

winsize local_window_size() noexcept {
  winsize size{};
  for (int fd : {0, 1})
    if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_row && size.ws_col) return size;
  return winsize{};
}

void run_terminal_session(int master, int child_pidfd, bool forward_input, const SessionSignals& signals) {
  UniqueFd sigfd(::signalfd(-1, &signals.set(), SFD_CLOEXEC));
  if (!sigfd) throw system_error("signalfd");
  int flags = ::fcntl(master, F_GETFL);
  if (flags < 0 || ::fcntl(master, F_SETFL, flags | O_NONBLOCK) < 0)
    throw system_error("make the pty non-blocking");
  ::signal(SIGPIPE, SIG_IGN);
  resize(master);  // the terminal may have changed since the pty was opened

  std::string pending;  // input the pty did not take yet: never block on it while output waits
  bool input_open = forward_input, child_running = true, output_open = true;
  while (child_running) {
    pollfd fds[4] = {
        {output_open ? master : -1, static_cast<short>(POLLIN | (pending.empty() ? 0 : POLLOUT)), 0},
        {output_open && input_open && pending.empty() ? 0 : -1, POLLIN, 0},
        {child_pidfd, POLLIN, 0},
        {sigfd.get(), POLLIN, 0}};
    if (::poll(fds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      throw system_error("poll");
    }
    if (fds[3].revents & POLLIN) {
      signalfd_siginfo info;
      if (::read(sigfd.get(), &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGWINCH)
          resize(master);
        else
          (void)sys::pidfd_send_signal(child_pidfd, static_cast<int>(info.ssi_signo));
      }
    }
    if (fds[1].revents) {
      char buf[4096];
      ssize_t n = ::read(0, buf, sizeof buf);
      if (n > 0) {
        pending.append(buf, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        input_open = false;
        pending.push_back(kEndOfFile);
      }
    }
    if (output_open && !pending.empty() && (fds[0].revents & POLLOUT || fds[1].revents)) {
      ssize_t n = ::write(master, pending.data(), pending.size());
      if (n > 0) pending.erase(0, static_cast<size_t>(n));
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) output_open = copy_output(master);
    if (fds[2].revents) child_running = false;
  }
  // The child is gone: what its command wrote before exiting is still in the pty.
  while (output_open) {
    pollfd fd{master, POLLIN, 0};
    int n = ::poll(&fd, 1, kDrainTimeoutMs);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output_open = copy_output(master);
  }
}

}  // namespace podlet::runtime
