/* The process that holds a pod's namespaces once the infra has set them up:
 * podlet's infra execs this (embedded in podlet, run from a sealed memfd) in
 * place, so the pod costs a few pages instead of a whole podlet process with all
 * its libraries. Same pid, same namespaces, same blocked signals (kept across
 * exec): it reaps children (as PID 1 of a shared pid namespace) and leaves with 0
 * on SIGTERM or SIGINT, as the infra's own loop does. libc only, static. */
#include <linux/capability.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, NULL);
  /* No fds: what a container that can ptrace the holder could reach through them
   * (the unit's journal stream) stays out of its reach. */
  syscall(SYS_close_range, 0U, ~0U, 0U);
  /* exec made the process dumpable again: keep it out of reach of /proc/PID. */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  prctl(PR_SET_NAME, "podlet-infra", 0, 0, 0); /* not the memfd's "/dev/fd/N" */
  /* Nothing here needs a capability: drop them all, for good. */
  for (int cap = 0; cap < 64; ++cap) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3];
  memset(none, 0, sizeof none);
  syscall(SYS_capset, &header, none);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  /* Children that exited while podlet was still this process. */
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  for (;;) {
    int sig = sigwaitinfo(&set, NULL);
    if (sig == SIGCHLD) {
      while (waitpid(-1, NULL, WNOHANG) > 0) {
      }
    } else if (sig == SIGTERM || sig == SIGINT) {
      _exit(0);
    }
  }
}
