/* The process that holds a pod's namespaces once the infra has set them up:
 * podlet's infra execs this (embedded in podlet, run from a sealed memfd) in
 * place, so the pod costs a few pages instead of a whole podlet process with all
 * its libraries. Same pid, same namespaces, same blocked signals (kept across
 * exec): it reaps children (as PID 1 of a shared pid namespace) and leaves with 0
 * on SIGTERM or SIGINT, as the infra's own loop does. libc only, static. */
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
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
  /* exec made the process dumpable again: keep it out of reach of /proc/PID. */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  prctl(PR_SET_NAME, "podlet-infra", 0, 0, 0); /* not the memfd's "/dev/fd/N" */
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
