#include "runtime/exec.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <fmt/core.h>

#include "base/atomic_file.h"
#include "runtime/child_report.h"
#include "runtime/container.h"
#include "runtime/exec_proc.h"
#include "runtime/process_finish.h"
#include "runtime/seccomp_filter.h"
#include "runtime/syscalls.h"
#include "runtime/tty.h"
#include "runtime/tty_session.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace podlet::runtime {

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

// Everything the processes after fork need, computed before: they only make syscalls.
struct Prepared {
  UniqueFd pidfd;
  UniqueFd root;
  int ns_flags = 0;
  std::string cgroup_procs;  // empty: not joined
  std::string cwd;
  ProcessCredentials creds;
  std::vector<gid_t> groups;
  SeccompFilter seccomp;
  std::vector<std::string> env;
  std::vector<std::string> argv;
  bool stdin_open = false;
  int output_fd = -1;
  unsigned timeout_seconds = 0;
  UniqueFd pty_master;  // -t: podlet's end, O_CLOEXEC
  UniqueFd pty_slave;   // -t: the command's terminal
};

volatile pid_t g_forward_to = 0;
void forward_signal(int sig) {
  if (g_forward_to > 0) ::kill(g_forward_to, sig);
}

void forward_signals_to(pid_t pid) noexcept {
  g_forward_to = pid;
  struct sigaction sa {};
  sa.sa_handler = forward_signal;
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaction(sig, &sa, nullptr);
}

void kill_command(int) {
  if (g_forward_to > 0) ::kill(g_forward_to, SIGKILL);
}

// The command: the same end as the container's workload, as the workload's identity.
[[noreturn]] void run_command(Prepared& p, int error_fd) noexcept {
  if (p.output_fd >= 0 && (::dup2(p.output_fd, 1) < 0 || ::dup2(p.output_fd, 2) < 0))
    child_fail(error_fd, "stdout and stderr to the output pipe", "", errno, kExitSetupFailed);
  finish_process(ProcessFinish{.error_fd = error_fd,
                               .terminal = p.pty_slave ? p.pty_slave.release() : -1,
                               .stdin_open = p.stdin_open,
                               .cwd = p.cwd.c_str(),
                               .cwd_or_root = true,
                               .capabilities = p.creds.cap_bounding,
                               .uid = p.creds.uid,
                               .gid = p.creds.gid,
                               .groups = &p.groups,
                               .seccomp = &p.seccomp,
                               .no_new_privileges = p.creds.no_new_privs,
                               .args = &p.argv,
                               .env = &p.env});
}

void require(int error_fd, int rc, const char* step, const char* detail = "") noexcept {
  if (rc < 0) child_fail(error_fd, step, detail, errno, kExitSetupFailed);
}

// The intermediate process: joins the cgroup, the namespaces and the root, then
// forks the command into the pid namespace and passes its exit status on.
[[noreturn]] void enter_and_run(Prepared& p, int error_fd) noexcept {
  // Until exec, a process of the container must not ptrace or open /proc/PID of this
  // one (it still holds host fds); exec makes the command dumpable again.
  require(error_fd, ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl PR_SET_DUMPABLE");
  p.pty_master.reset();  // podlet's alone
  sigset_t none;         // the -t session blocked them in podlet
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (!p.cgroup_procs.empty()) {
    int fd = ::open(p.cgroup_procs.c_str(), O_WRONLY | O_CLOEXEC);
    require(error_fd, fd, "join cgroup", p.cgroup_procs.c_str());
    require(error_fd, static_cast<int>(::write(fd, "0", 1)), "join cgroup", p.cgroup_procs.c_str());
    ::close(fd);
  }
  if (p.ns_flags) require(error_fd, ::setns(p.pidfd.get(), p.ns_flags), "join the container's namespaces");
  require(error_fd, ::fchdir(p.root.get()), "enter the container's root");
  require(error_fd, ::chroot("."), "enter the container's root");
  pid_t pid = ::fork();
  require(error_fd, pid, "fork the command");
  if (pid == 0) run_command(p, error_fd);
  p.pty_slave.reset();
  ::close(error_fd);  // the command's copy alone: closed by its exec, or carrying its report
  forward_signals_to(pid);
  if (p.output_fd >= 0) ::close(p.output_fd);  // the command's alone: its end is the reader's end of file
  if (p.timeout_seconds) {
    struct sigaction sa {};
    sa.sa_handler = kill_command;
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGALRM, &sa, nullptr);
    ::alarm(p.timeout_seconds);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) ::_exit(kExitSetupFailed);
  ::_exit(exit_status(status));
}

void open_terminal(Prepared& p) {
  // Through the container's root fd: the container's own devpts, no link followed.
  int master = open_pty_master(p.root.get());
  if (master < 0) throw system_error("open the container's /dev/pts/ptmx", -master);
  p.pty_master.reset(master);
  int slave = open_pty_slave(master, p.creds.uid, TerminalOutput::kInteractive, local_window_size());
  if (slave < 0) throw system_error("open the pty's slave", -slave);
  p.pty_slave.reset(slave);
}

Prepared prepare(const ExecTarget& target, const ExecOptions& options) {
  if (options.argv.empty()) fail("exec: no command");
  Prepared p;
  int pidfd = sys::pidfd_open(target.pid, 0);
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
  if (sys::pidfd_send_signal(pidfd, 0) < 0)
    throw system_error(fmt::format("the container's process {} is gone", target.pid));
  if (!target.control_group.empty()) {
    std::string root_dir = cgroup2_root();
    if (!root_dir.empty()) p.cgroup_procs = root_dir + target.control_group + "/cgroup.procs";
  }
  p.cwd = target.spec.process.cwd;
  if (p.creds.seccomp)  // the spec says unconfined for privileged containers
    p.seccomp = build_seccomp_filter(target.spec.process.seccomp, p.creds.cap_bounding);
  p.argv = options.argv;
  p.stdin_open = options.stdin_open;
  if (!options.tty) p.output_fd = options.output_fd;
  p.timeout_seconds = options.timeout_seconds;
  if (options.tty) open_terminal(p);
  return p;
}

}  // namespace

RunningExec start_exec(const ExecTarget& target, const ExecOptions& options) {
  Prepared p = prepare(target, options);
  Pipe report = make_pipe();
  RunningExec exec;
  exec.process = ChildProcess::fork([&] { enter_and_run(p, report.write.get()); });
  report.write.reset();
  p.pty_slave.reset();
  if (!options.tty) forward_signals_to(exec.process.pid());
  // A record, or end of file once the command has exec'd (error.h: after clone).
  if (auto failure = read_child_failure(report.read.get())) {
    exec.process.wait();  // it leaves with the command's exit code, right after the report
    throw ExecError(failure->message(), failure->error, failure->exit_code);
  }
  exec.terminal = std::move(p.pty_master);
  return exec;
}

int wait_exec(RunningExec& exec) {
  return exit_status(exec.process.wait());
}

}  // namespace podlet::runtime
