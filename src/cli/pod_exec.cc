#include "cli/pod_exec.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <optional>
#include <sstream>

#include <fmt/core.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "runtime/capabilities.h"
#include "runtime/container.h"
#include "runtime/seccomp_filter.h"
#include "runtime/syscalls.h"
#include "runtime/tty.h"
#include "runtime/tty_session.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

extern char** environ;

namespace podlet::cli {

namespace {

struct Namespace {
  const char* name;
  int flag;
};
constexpr Namespace kNamespaces[] = {
    {"user", CLONE_NEWUSER}, {"mnt", CLONE_NEWNS},  {"uts", CLONE_NEWUTS},       {"ipc", CLONE_NEWIPC},
    {"net", CLONE_NEWNET},   {"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};

// The namespaces of `pid` that podlet is not already in: joining one's own fails for some types.
int differing_namespaces(pid_t pid) {
  int flags = 0;
  for (const auto& ns : kNamespaces) {
    struct stat mine {
    }, theirs{};
    std::string own = fmt::format("/proc/self/ns/{}", ns.name),
                target = fmt::format("/proc/{}/ns/{}", pid, ns.name);
    if (::stat(own.c_str(), &mine) < 0) continue;  // the kernel lacks this namespace type
    if (::stat(target.c_str(), &theirs) < 0) throw system_error("stat " + target);
    if (mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev) flags |= ns.flag;
  }
  return flags;
}

// The cgroup2 hierarchy: /sys/fs/cgroup on unified hosts, /sys/fs/cgroup/unified on hybrid ones.
std::string cgroup2_root() {
  for (const char* dir : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    struct statfs fs {};
    if (::statfs(dir, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC) return dir;
  }
  return "";
}

uint64_t parse_hex(const std::string& s) {
  return std::stoull(s, nullptr, 16);
}

// Everything the processes after fork need, computed before: they only make syscalls.
struct Prepared {
  UniqueFd pidfd;
  UniqueFd root;
  int ns_flags = 0;
  std::string cgroup_procs;  // empty: not joined
  std::string cwd;
  ProcessCredentials creds;
  std::vector<gid_t> groups;
  runtime::SeccompFilter seccomp;
  std::vector<std::string> env;
  std::vector<std::string> argv;
  bool stdin_open = false;
  UniqueFd pty_master;  // -t: podlet's end, O_CLOEXEC
  UniqueFd pty_slave;   // -t: the command's terminal
};

volatile pid_t g_forward_to = 0;
void forward_signal(int sig) {
  if (g_forward_to > 0) ::kill(g_forward_to, sig);
}

void forward_signals_to(pid_t pid) {
  g_forward_to = pid;
  struct sigaction sa {};
  sa.sa_handler = forward_signal;
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaction(sig, &sa, nullptr);
}

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return runtime::kExitSetupFailed;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

[[noreturn]] void die(const char* step, int err, int code = runtime::kExitSetupFailed) {
  // After fork: plain write, no allocation-heavy formatting of podlet::Error.
  std::string msg = std::string("podlet: exec: ") + step + ": " + std::strerror(err) + "\n";
  ssize_t ignored = ::write(2, msg.data(), msg.size());
  (void)ignored;
  ::_exit(code);
}

// The command itself: identity, capabilities, seccomp, then exec.
[[noreturn]] void run_command(Prepared& p) {
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (p.pty_slave) {
    if (int rc = runtime::become_terminal_session(p.pty_slave.release()); rc < 0)
      die("make the pty the controlling terminal", -rc);
  } else if (!p.stdin_open) {
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0 || ::dup2(null, 0) < 0) die("stdin from /dev/null", errno);
  }
  if (::chdir(p.cwd.c_str()) < 0 && ::chdir("/") < 0) die("chdir", errno);
  // As the container entrypoint does: without no_new_privs the filter needs CAP_SYS_ADMIN.
  if (!p.creds.no_new_privs && !p.seccomp.empty())
    if (int rc = p.seccomp.load(); rc < 0) die("load seccomp filter", -rc);
  const char* step = "";
  if (int rc = runtime::switch_identity(p.creds.cap_bounding, p.creds.uid, p.creds.gid, p.groups, &step);
      rc < 0)
    die(step, -rc);
  if (p.creds.no_new_privs) {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("prctl PR_SET_NO_NEW_PRIVS", errno);
    if (!p.seccomp.empty())
      if (int rc = p.seccomp.load(); rc < 0) die("load seccomp filter", -rc);
  }
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) die("close inherited fds", errno);

  std::vector<char*> argv, envp;
  for (auto& a : p.argv) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : p.env) envp.push_back(e.data());
  envp.push_back(nullptr);
  environ = envp.data();  // execvp searches the container's PATH
  ::execvp(argv[0], argv.data());
  int err = errno;
  die(p.argv[0].c_str(), err, err == ENOENT ? runtime::kExitNotFound : runtime::kExitCannotExec);
}

// The intermediate process: joins the cgroup, the namespaces and the root, then
// forks the command into the pid namespace and passes its exit status on.
[[noreturn]] void enter_and_run(Prepared& p) {
  // Until exec, a process of the container must not ptrace or open /proc/PID of this
  // one (it still holds host fds); exec makes the command dumpable again.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) die("prctl(PR_SET_DUMPABLE)", errno);
  p.pty_master.reset();  // podlet's alone
  sigset_t none;         // the -t session blocked them in podlet
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (!p.cgroup_procs.empty()) {
    int fd = ::open(p.cgroup_procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ::write(fd, "0", 1) < 0) die(("join cgroup " + p.cgroup_procs).c_str(), errno);
    ::close(fd);
  }
  if (p.ns_flags && ::setns(p.pidfd.get(), p.ns_flags) < 0) die("join the container's namespaces", errno);
  if (::fchdir(p.root.get()) < 0 || ::chroot(".") < 0) die("enter the container's root", errno);
  pid_t pid = ::fork();
  if (pid < 0) die("fork", errno);
  if (pid == 0) run_command(p);
  p.pty_slave.reset();
  forward_signals_to(pid);
  ::_exit(wait_status(pid));
}

Prepared prepare(const ExecTarget& target, const ExecOptions& options) {
  if (options.argv.empty()) fail("exec: no command");
  Prepared p;
  int pidfd = runtime::sys::pidfd_open(target.pid, 0);
  if (pidfd < 0) throw system_error(fmt::format("the container's process {} is gone", target.pid));
  p.pidfd.reset(pidfd);
  std::string proc = fmt::format("/proc/{}", target.pid);
  int root = ::open((proc + "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) throw system_error("open " + proc + "/root");
  p.root.reset(root);
  p.ns_flags = differing_namespaces(target.pid);
  p.creds = parse_proc_status(read_file(proc + "/status"));
  p.groups.assign(p.creds.groups.begin(), p.creds.groups.end());
  p.env = parse_environ(read_file(proc + "/environ"));
  // The workload may have exited (and the pid been reused) while we read: check it is still there.
  if (runtime::sys::pidfd_send_signal(pidfd, 0) < 0)
    throw system_error(fmt::format("the container's process {} is gone", target.pid));
  if (!target.control_group.empty()) {
    std::string root_dir = cgroup2_root();
    if (!root_dir.empty()) p.cgroup_procs = root_dir + target.control_group + "/cgroup.procs";
  }
  p.cwd = target.spec.process.cwd.empty() ? "/" : target.spec.process.cwd;
  if (p.creds.seccomp && !target.spec.privileged)
    p.seccomp = runtime::build_seccomp_filter(target.spec.process.seccomp, p.creds.cap_bounding);
  p.argv = options.argv;
  p.stdin_open = options.stdin_open;
  if (options.tty) {
    // Through the container's root fd: the container's own devpts, no link followed.
    int master = runtime::open_pty_master(p.root.get());
    if (master < 0) throw system_error("open the container's /dev/pts/ptmx", -master);
    p.pty_master.reset(master);
    int slave = runtime::open_pty_slave(master, p.creds.uid, runtime::TerminalOutput::kInteractive,
                                        runtime::local_window_size());
    if (slave < 0) throw system_error("open the pty's slave", -slave);
    p.pty_slave.reset(slave);
  }
  return p;
}

}  // namespace

ProcessCredentials parse_proc_status(const std::string& status_text) {
  ProcessCredentials c;
  bool have_uid = false, have_gid = false, have_bnd = false;
  std::istringstream in(status_text);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::istringstream values(line.substr(colon + 1));
    if (key == "Uid" || key == "Gid") {
      uint32_t real = 0, effective = 0;
      if (!(values >> real >> effective)) fail("/proc status: malformed {} line", key);
      (key == "Uid" ? c.uid : c.gid) = effective;
      (key == "Uid" ? have_uid : have_gid) = true;
    } else if (key == "Groups") {
      uint32_t g;
      while (values >> g) c.groups.push_back(g);
    } else if (key == "CapBnd") {
      std::string hex;
      values >> hex;
      c.cap_bounding = parse_hex(hex);
      have_bnd = true;
    } else if (key == "NoNewPrivs") {
      int v = 0;
      values >> v;
      c.no_new_privs = v != 0;
    } else if (key == "Seccomp") {
      int v = 0;
      values >> v;
      c.seccomp = v != 0;
    }
  }
  if (!have_uid || !have_gid || !have_bnd) fail("/proc status: Uid, Gid or CapBnd missing");
  return c;
}

std::vector<std::string> parse_environ(const std::string& environ_text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < environ_text.size()) {
    size_t end = environ_text.find('\0', start);
    if (end == std::string::npos) end = environ_text.size();
    if (end > start) out.push_back(environ_text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

int exec_in_container(const ExecTarget& target, const ExecOptions& options) {
  Prepared p = prepare(target, options);
  // -t: signals blocked before fork (none is lost, none kills a raw podlet).
  std::optional<runtime::SessionSignals> signals;
  if (options.tty) signals.emplace();
  pid_t pid = ::fork();
  if (pid < 0) throw system_error("fork");
  if (pid == 0) enter_and_run(p);
  if (!options.tty) {
    forward_signals_to(pid);
    return wait_status(pid);
  }
  p.pty_slave.reset();
  UniqueFd pidfd(runtime::sys::pidfd_open(pid, 0));
  if (!pidfd) {
    int err = errno;
    ::kill(pid, SIGKILL);
    wait_status(pid);
    throw system_error("pidfd_open of exec's child", err);
  }
  {
    // Raw only while relaying, restored on every way out (signals arrive on a signalfd).
    std::optional<runtime::RawTerminal> raw;
    if (options.stdin_open) raw.emplace(STDIN_FILENO);
    try {
      runtime::run_terminal_session(p.pty_master.get(), pidfd.get(), options.stdin_open, *signals);
    } catch (...) {
      runtime::sys::pidfd_send_signal(pidfd.get(), SIGKILL);
      wait_status(pid);
      throw;
    }
  }
  return wait_status(pid);
}

}  // namespace podlet::cli
