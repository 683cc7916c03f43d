#include "runtime/process_finish.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "runtime/capabilities.h"
#include "runtime/child_report.h"
#include "runtime/container.h"
#include "runtime/tty.h"

namespace podlet::runtime {

namespace {

void require(const ProcessFinish& p, int rc, const char* step, const char* detail = "") noexcept {
  if (rc < 0) child_fail(p.error_fd, step, detail, -rc, kExitSetupFailed);
}

int errno_of(int rc) noexcept {
  return rc < 0 ? -errno : 0;
}

void default_signals() noexcept {
  // Ignored signals survive exec otherwise; the parent may have blocked some (-t).
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

void set_up_stdio(const ProcessFinish& p) noexcept {
  if (p.terminal >= 0) {
    require(p, become_terminal_session(p.terminal), "make the pty the controlling terminal");
  } else if (!p.stdin_open) {
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    require(p, errno_of(null), "open /dev/null");
    require(p, errno_of(::dup2(null, 0)), "stdin from /dev/null");
    ::close(null);
  }
}

void enter_cwd(const ProcessFinish& p) noexcept {
  if (::chdir(p.cwd) == 0) return;
  if (!p.cwd_or_root || ::chdir("/") < 0) child_fail(p.error_fd, "chdir", p.cwd, errno, kExitSetupFailed);
}

void load_seccomp(const ProcessFinish& p) noexcept {
  if (p.seccomp) require(p, p.seccomp->load(), "load seccomp filter");
}

void drop_privileges(const ProcessFinish& p) noexcept {
  // Without no_new_privs the filter must be loaded while CAP_SYS_ADMIN is held.
  if (!p.no_new_privileges) load_seccomp(p);
  const char* step = "";
  static const std::vector<gid_t> kNoGroups;
  int rc = switch_identity(p.capabilities, p.uid, p.gid, p.groups ? *p.groups : kNoGroups, &step);
  if (rc < 0) {
    char who[64];
    std::snprintf(who, sizeof who, "(uid %u, gid %u)", static_cast<unsigned>(p.uid),
                  static_cast<unsigned>(p.gid));
    child_fail(p.error_fd, step, who, -rc, kExitSetupFailed);
  }
  if (p.no_new_privileges) {
    require(p, errno_of(::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)), "prctl PR_SET_NO_NEW_PRIVS");
    load_seccomp(p);
  }
}

void pass_gate(const ProcessFinish& p) noexcept {
  if (p.gate_fd < 0) return;
  if (p.armed_fd >= 0 && ::write(p.armed_fd, "a", 1) != 1) ::_exit(kExitSetupFailed);
  // End of file: the parent gave up (it reports why); leave without running the program.
  char go = 0;
  ssize_t n;
  do n = ::read(p.gate_fd, &go, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) ::_exit(kExitSetupFailed);
}

std::vector<char*> to_argv(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

const char* env_value(char* const* envp, const char* key) noexcept {
  size_t len = std::strlen(key);
  for (; *envp; ++envp)
    if (std::strncmp(*envp, key, len) == 0 && (*envp)[len] == '=') return *envp + len + 1;
  return "";
}

// execve, searching PATH of the program's environment as execvp does (an empty entry
// is the working directory); candidates are built on the stack.
[[noreturn]] void exec_program(const ProcessFinish& p, char* const* argv, char* const* envp) noexcept {
  const char* file = argv[0];
  if (std::strchr(file, '/')) {
    ::execve(file, argv, envp);
    int err = errno;
    child_fail(p.error_fd, "exec", file, err, err == ENOENT ? kExitNotFound : kExitCannotExec);
  }
  int denied = 0;
  char candidate[PATH_MAX];
  for (const char* dir = env_value(envp, "PATH");;) {
    const char* end = std::strchr(dir, ':');
    int len = static_cast<int>(end ? end - dir : std::strlen(dir));
    int n = std::snprintf(candidate, sizeof candidate, "%.*s/%s", len ? len : 1, len ? dir : ".", file);
    if (n > 0 && static_cast<size_t>(n) < sizeof candidate) {
      ::execve(candidate, argv, envp);
      if (errno == EACCES)
        denied = EACCES;
      else if (errno != ENOENT && errno != ENOTDIR)
        child_fail(p.error_fd, "exec", candidate, errno, kExitCannotExec);
    }
    if (!end) break;
    dir = end + 1;
  }
  if (denied) child_fail(p.error_fd, "exec", file, denied, kExitCannotExec);
  char what[PATH_MAX + 64];
  std::snprintf(what, sizeof what, "%s: executable file not found in $PATH", file);
  child_fail(p.error_fd, "exec", what, 0, kExitNotFound);
}

}  // namespace

void finish_process(const ProcessFinish& p) noexcept {
  default_signals();
  set_up_stdio(p);
  enter_cwd(p);
  drop_privileges(p);
  // Only 0-2 reach the program; the error pipe closes on exec (and so signals success).
  require(p, errno_of(::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)), "close inherited fds");
  pass_gate(p);
  auto argv = to_argv(*p.args);
  auto envp = to_argv(*p.env);
  exec_program(p, argv.data(), envp.data());
}

}  // namespace podlet::runtime
