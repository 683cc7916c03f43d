// The container's child, from clone3 to execve: namespaces, root, user and terminal
// here, the rest in finish_process (process_finish.h). Runs as root with every
// capability until the identity switch; errors are reported to the parent
// (child_report.h), never thrown.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "runtime/child_plan.h"
#include "runtime/child_report.h"
#include "runtime/path_in_root.h"
#include "runtime/process_finish.h"
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

// Namespaces and the root file system, up to the masks: returns an O_PATH fd of the
// root; with a tty, *master is a pty of the container's own devpts.
int assemble_root(ChildPlan& plan, int* master) {
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
  if (plan.tty) require(plan, *master = open_pty_master(root), "open the container's /dev/pts/ptmx");
  mount_spec_mounts(plan, root);
  apply_masks(plan, root);
  return root;
}

// The user the workload runs as, from the image's own passwd and group.
Identity resolve_user(ChildPlan& plan, int root) {
  std::string passwd = read_image_file(plan, root, "/etc/passwd");
  std::string group = read_image_file(plan, root, "/etc/group");
  Identity id;
  std::string error;
  if (!resolve_identity(plan.identity, passwd, group, id, error))
    child_fail(plan.error_fd, "resolve user:", error, 0, kExitSetupFailed);
  if (plan.run_as_non_root && id.uid == 0)
    child_fail(plan.error_fd, "runAsNonRoot:", "the container would run as root (uid 0)", 0,
               kExitSetupFailed);
  return id;
}

// The slave for the workload; the master goes to the entrypoint, which relays it.
int hand_over_terminal(ChildPlan& plan, int master, uid_t owner) {
  int slave = open_pty_slave(master, owner, TerminalOutput::kLog, kDefaultWindowSize);
  require(plan, slave, "open the terminal's slave");
  require(plan, send_fd(plan.terminal_socket, master), "pass the terminal to the entrypoint");
  ::close(master);
  return slave;
}

// What the running container is, not policy: its hostname and its user's home.
void add_runtime_env(ChildPlan& plan, const Identity& id) {
  if (!has_env(plan.env, "HOSTNAME")) {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) == 0) plan.env.push_back(std::string("HOSTNAME=") + host);
  }
  if (!has_env(plan.env, "HOME")) plan.env.push_back("HOME=" + id.home);
}

[[noreturn]] void run(ChildPlan& plan) {
  int master = -1;
  int root = assemble_root(plan, &master);
  Identity id = resolve_user(plan, root);
  int cwd = ensure_in_root(root, plan.cwd, NodeKind::kDirectory);
  require(plan, cwd, "create working directory", plan.cwd);
  ::close(cwd);
  int slave = plan.tty ? hand_over_terminal(plan, master, id.uid) : -1;
  enter_root(plan, root);
  ::close(root);
  add_runtime_env(plan, id);

  std::vector<gid_t> groups(id.groups.begin(), id.groups.end());
  finish_process(ProcessFinish{.error_fd = plan.error_fd,
                               .terminal = slave,
                               .stdin_open = plan.stdin_open,
                               .cwd = plan.cwd.c_str(),
                               .capabilities = plan.capabilities,
                               .uid = id.uid,
                               .gid = id.gid,
                               .groups = &groups,
                               .seccomp = &plan.seccomp,
                               .no_new_privileges = plan.no_new_privileges,
                               .gate_fd = plan.gate_fd,
                               .armed_fd = plan.armed_fd,
                               .args = &plan.args,
                               .env = &plan.env});
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
