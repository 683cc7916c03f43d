// The container's child, from clone3 to execve. Runs as root with every capability
// until switch_identity; errors are reported to the parent (child_report.h).
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "runtime/capabilities.h"
#include "runtime/child_plan.h"
#include "runtime/child_report.h"
#include "runtime/path_in_root.h"
#include "runtime/tty.h"

namespace podlet::runtime {

namespace {

constexpr size_t kMaxDatabaseSize = 4 << 20;  // /etc/passwd, /etc/group

// Reads a regular file of the image (resolved inside the root); "" when absent.
std::string read_image_file(const ChildPlan& plan, int root_fd, const char* path) {
  int fd = open_in_root(root_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd == -ENOENT) return "";
  require(plan, fd, "open", path);
  struct stat st;
  if (::fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) > kMaxDatabaseSize) {
    ::close(fd);
    require(plan, -EINVAL, "read", std::string(path) + ": not a regular file of sane size");
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
}

bool has_env(const std::vector<std::string>& env, const char* key) {
  size_t len = std::char_traits<char>::length(key);
  for (const auto& e : env)
    if (e.size() > len && e.compare(0, len, key) == 0 && e[len] == '=') return true;
  return false;
}

std::string env_value(const std::vector<std::string>& env, const char* key) {
  size_t len = std::char_traits<char>::length(key);
  for (const auto& e : env)
    if (e.size() > len && e.compare(0, len, key) == 0 && e[len] == '=') return e.substr(len + 1);
  return "";
}

std::vector<char*> to_argv(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// execve, searching PATH of the workload's environment (not podlet's) as execvp does.
[[noreturn]] void exec_workload(ChildPlan& plan) {
  auto argv = to_argv(plan.args);
  auto envp = to_argv(plan.env);
  const std::string& file = plan.args.front();
  if (file.find('/') != std::string::npos) {
    ::execve(file.c_str(), argv.data(), envp.data());
    int err = errno;
    child_fail(plan.error_fd, "exec", file, err, err == ENOENT ? kExitNotFound : kExitCannotExec);
  }
  std::string path = env_value(plan.env, "PATH");
  int denied = 0;
  size_t start = 0;
  for (;;) {
    size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + file;
    ::execve(candidate.c_str(), argv.data(), envp.data());
    if (errno == EACCES)
      denied = EACCES;
    else if (errno != ENOENT && errno != ENOTDIR)
      child_fail(plan.error_fd, "exec", candidate, errno, kExitCannotExec);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (denied) child_fail(plan.error_fd, "exec", file, denied, kExitCannotExec);
  child_fail(plan.error_fd, "exec", file + ": executable file not found in $PATH", 0, kExitNotFound);
}

void load_seccomp(ChildPlan& plan) {
  int rc = plan.seccomp.load();
  require(plan, rc, "load seccomp filter");
}

void run(ChildPlan& plan) {
  // Until exec this process is podlet: keep other processes from opening it
  // through /proc/PID (mem, exe, fds) even if they share its pid namespace.
  require(plan, ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 ? -errno : 0, "prctl PR_SET_DUMPABLE");
  ::umask(022);
  if (plan.join_flags)
    require(plan, ::setns(plan.infra_pidfd, plan.join_flags) < 0 ? -errno : 0, "join the pod's namespaces");
  clone_shared_sources(plan);
  // Nothing mounted here may propagate back to the host; the host's unmounts
  // (volumes of a stopped pod) still reach us.
  require(plan, ::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) < 0 ? -errno : 0, "make / rslave");

  int root = mount_overlay_root(plan);
  mount_kernel_filesystems(plan, root);
  // tty: the pty comes from the devpts instance just mounted, before any volume could
  // cover /dev/pts.
  int master = -1;
  if (plan.tty) require(plan, master = open_pty_master(root), "open the container's /dev/pts/ptmx");
  mount_spec_mounts(plan, root);
  apply_masks(plan, root);

  std::string passwd = read_image_file(plan, root, "/etc/passwd");
  std::string group = read_image_file(plan, root, "/etc/group");
  Identity id;
  std::string error;
  if (!resolve_identity(plan.identity, passwd, group, id, error))
    child_fail(plan.error_fd, "resolve user:", error, 0, kExitSetupFailed);
  if (plan.run_as_non_root && id.uid == 0)
    child_fail(plan.error_fd, "runAsNonRoot:", "the container would run as root (uid 0)", 0,
               kExitSetupFailed);
  int cwd = ensure_in_root(root, plan.cwd, NodeKind::kDirectory);
  require(plan, cwd, "create working directory", plan.cwd);
  ::close(cwd);
  int slave = -1;
  if (plan.tty) {
    slave = open_pty_slave(master, id.uid, TerminalOutput::kLog, kDefaultWindowSize);
    require(plan, slave, "open the terminal's slave");
    require(plan, send_fd(plan.terminal_socket, master), "pass the terminal to the entrypoint");
    ::close(master);
  }

  enter_root(plan, root);
  ::close(root);
  require(plan, ::chdir(plan.cwd.c_str()) < 0 ? -errno : 0, "chdir", plan.cwd);
  if (plan.tty) {
    require(plan, become_terminal_session(slave), "make the pty the controlling terminal");
  } else if (!plan.stdin_open) {
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    require(plan, null < 0 ? -errno : 0, "open /dev/null");
    require(plan, ::dup2(null, 0) < 0 ? -errno : 0, "stdin from /dev/null");
    ::close(null);
  }

  if (!has_env(plan.env, "PATH"))
    plan.env.push_back("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  if (!has_env(plan.env, "HOSTNAME")) {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) == 0) plan.env.push_back(std::string("HOSTNAME=") + host);
  }
  if (!has_env(plan.env, "HOME")) plan.env.push_back("HOME=" + id.home);

  // Without no_new_privs the filter must be loaded while CAP_SYS_ADMIN is held.
  if (!plan.no_new_privileges) load_seccomp(plan);
  const char* step = "";
  std::vector<gid_t> groups(id.groups.begin(), id.groups.end());
  int rc = switch_identity(plan.capabilities, id.uid, id.gid, groups, &step);
  require(plan, rc, step, "(uid " + std::to_string(id.uid) + ", gid " + std::to_string(id.gid) + ")");
  if (plan.no_new_privileges) {
    require(plan, ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ? -errno : 0, "prctl PR_SET_NO_NEW_PRIVS");
    load_seccomp(plan);
  }

  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);  // ignored signals survive exec otherwise
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Only 0-2 reach the workload; the error pipe closes on exec (and so signals success).
  require(plan, ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0 ? -errno : 0, "close inherited fds");
  if (plan.gate_fd >= 0) {
    if (plan.armed_fd >= 0 && ::write(plan.armed_fd, "a", 1) != 1) ::_exit(kExitSetupFailed);
    // End of file: the parent gave up (it reports why); leave without running the workload.
    char go = 0;
    ssize_t n;
    do n = ::read(plan.gate_fd, &go, 1);
    while (n < 0 && errno == EINTR);
    if (n != 1) ::_exit(kExitSetupFailed);
  }
  exec_workload(plan);
}

}  // namespace

void run_container_child(ChildPlan& plan) noexcept {
  try {
    run(plan);
  } catch (...) {
    child_fail(plan.error_fd, "internal error", "(exception in the container's child)", 0, kExitSetupFailed);
  }
  ::_exit(kExitSetupFailed);
}

}  // namespace podlet::runtime
