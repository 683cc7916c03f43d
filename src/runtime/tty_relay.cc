#include "runtime/tty_relay.h"

#include <linux/capability.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/capabilities.h"
#include "runtime/container.h"
#include "runtime/syscalls.h"
#include "runtime/tty.h"

namespace podlet::runtime {

namespace {

constexpr int kForwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};

int report(const char* step, int err) noexcept {
  std::string msg = std::string("podlet: terminal relay: ") + step + ": " + std::strerror(err) + "\n";
  (void)write_all(2, msg.data(), msg.size());
  return kExitSetupFailed;
}

// Closes every fd but 0-2 and `keep`.
int close_all_but(std::vector<int> keep) noexcept {
  std::sort(keep.begin(), keep.end());
  unsigned next = 3;
  for (int fd : keep) {
    if (fd < 3) continue;
    if (static_cast<unsigned>(fd) > next && ::close_range(next, fd - 1, 0) < 0) return -errno;
    next = fd + 1;
  }
  return ::close_range(next, ~0U, 0) < 0 ? -errno : 0;
}

}  // namespace

int relay_container_terminal(UniqueFd master, UniqueFd workload_pidfd) noexcept {
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) return report("prctl PR_SET_DUMPABLE", errno);
  if (int rc = close_all_but({master.get(), workload_pidfd.get()}); rc < 0) return report("close fds", -rc);
  const char* step = "";
  if (int rc = switch_identity(uint64_t{1} << CAP_KILL, 0, 0, {}, &step); rc < 0) return report(step, -rc);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return report("prctl PR_SET_NO_NEW_PRIVS", errno);

  sigset_t set;
  sigemptyset(&set);
  for (int sig : kForwarded) sigaddset(&set, sig);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) < 0) return report("block signals", errno);
  ::signal(SIGPIPE, SIG_IGN);  // a closed journal stream: EPIPE, the relay keeps draining
  UniqueFd signals(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!signals) return report("signalfd", errno);

  bool drained = false, exited = false, output_ok = true;
  char buf[65536];
  while (!drained || !exited) {
    pollfd fds[3] = {{drained ? -1 : master.get(), POLLIN, 0},
                     {exited ? -1 : workload_pidfd.get(), POLLIN, 0},
                     {signals.get(), POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return report("poll", errno);
    }
    if (fds[2].revents & POLLIN) {
      signalfd_siginfo info;
      if (::read(signals.get(), &info, sizeof info) == sizeof info)
        (void)sys::pidfd_send_signal(workload_pidfd.get(), static_cast<int>(info.ssi_signo));
    }
    if (fds[0].revents) {
      ssize_t n = ::read(master.get(), buf, sizeof buf);
      if (n > 0) {
        // Output that cannot be written is dropped: the workload must never block on it.
        if (output_ok && write_all(1, buf, static_cast<size_t>(n)) < 0) output_ok = false;
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        drained = true;  // EIO: every slave fd is closed and what they wrote has been read
        master.reset();
      }
    }
    if (fds[1].revents) exited = true;
  }
  return 0;
}

}  // namespace podlet::runtime
