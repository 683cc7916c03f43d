// podlet's side of `podlet exec -t`: the user's terminal in raw mode while the command
// runs, and the relay between it and the pty the command has as its controlling
// terminal (tty.h). Keystrokes such as Ctrl-C travel as bytes to the command's terminal,
// whose line discipline turns them into signals for the command.
#pragma once

#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>

namespace podlet::runtime {

// `fd` (a terminal) in raw mode for the object's lifetime; restored on destruction.
// A no-op when fd is not a terminal.
class RawTerminal {
 public:
  explicit RawTerminal(int fd) noexcept;
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  int fd_ = -1;
  termios saved_{};
};

// Blocks the signals a session relays (SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT) for
// the object's lifetime, so that none is lost between fork and the relay's signalfd
// and none kills podlet while its terminal is raw. Children unblock them themselves.
class SessionSignals {
 public:
  SessionSignals() noexcept;
  ~SessionSignals();
  SessionSignals(const SessionSignals&) = delete;
  SessionSignals& operator=(const SessionSignals&) = delete;
  const sigset_t& set() const noexcept { return set_; }

 private:
  sigset_t set_{}, saved_{};
};

// The size of podlet's terminal (stdin, else stdout); {0, 0} when neither is one.
winsize local_window_size() noexcept;

// Relays master -> stdout and, when forward_input, stdin -> master (end of file on stdin
// sends the terminal's EOF character); applies the window size of podlet's terminal to
// the pty at SIGWINCH; forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT to child_pidfd.
// Returns once the child has exited and the pty is drained (EIO: no slave fd left, or
// nothing more for a second: a descendant still holds it). Throws podlet::Error.
void run_terminal_session(int master, int child_pidfd, bool forward_input, const SessionSignals& signals);

}  // namespace podlet::runtime
