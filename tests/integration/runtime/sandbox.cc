#include "sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "base/atomic_file.h"

extern char** environ;

namespace podlet::test {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

bool in_private_mount_namespace = false;

// A /tmp of our own: nothing a test writes, not even an empty directory left by a
// test killed before its destructors ran, reaches the host's /tmp.
bool mount_private_tmp() noexcept {
  return ::mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") == 0;
}

// Once per test process: whatever this process and its children mount stays here.
void enter_private_mount_namespace() {
  if (in_private_mount_namespace) return;
  if (::unshare(CLONE_NEWNS) < 0) fail("unshare(CLONE_NEWNS)");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) fail("make / rprivate");
  if (!mount_private_tmp()) fail("mount a tmpfs on /tmp");
  in_private_mount_namespace = true;
}

// Before main: the test process becomes PID 1 of a new pid namespace, so every
// process a test starts (infra, PID 1 of a pod, workloads) dies with it however
// it ends (a crash or a ctest timeout skips destructors), and it gets its own
// /proc and a private mount namespace. The original process only waits and
// passes the exit status on.
[[gnu::constructor]] void isolate_test_process() {
  if (::geteuid() != 0 || ::unshare(CLONE_NEWPID | CLONE_NEWNS) < 0) return;
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) ::_exit(125);
  pid_t child = ::fork();
  if (child < 0) ::_exit(125);
  if (child > 0) {
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) ::_exit(WEXITSTATUS(status));
    ::signal(WTERMSIG(status), SIG_DFL);
    ::kill(::getpid(), WTERMSIG(status));
    ::_exit(128 + WTERMSIG(status));
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // the waiting parent was killed (ctest timeout)
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) < 0) ::_exit(125);
  if (!mount_private_tmp()) ::_exit(125);
  in_private_mount_namespace = true;
}

int pidfd_of(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// Polls fd for input until the deadline; false on timeout.
bool poll_until(int fd, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) fail("poll");
  }
}

}  // namespace

int Exited::exit_code() const {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_text(const std::string& path) {
  try {
    return read_file(path);
  } catch (const std::exception&) {
    return "";
  }
}

Sandbox::Sandbox() {
  enter_private_mount_namespace();
  char tmpl[] = "/tmp/podlet-rt-XXXXXX";
  if (!::mkdtemp(tmpl)) fail("mkdtemp");
  dir_ = tmpl;
  // overlayfs takes a tmpfs upper dir (never an overlayfs one).
  if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
    ::rmdir(dir_.c_str());
    fail("mount tmpfs on " + dir_);
  }
}

Sandbox::~Sandbox() {
  for (pid_t pid : std::vector<pid_t>(children_)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, __WALL);
  }
  // Strays: anything else handed to us through CLONE_PARENT.
  while (::waitpid(-1, nullptr, __WALL | WNOHANG) > 0) {
  }
  notify_sockets_.clear();
  ::umount2(dir_.c_str(), MNT_DETACH);
  ::rmdir(dir_.c_str());
}

pid_t Sandbox::spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  std::string socket_path = dir_ + "/notify-" + std::to_string(next_socket_++) + ".sock";
  UniqueFd sock(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
  if (!sock || ::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
    fail("bind " + socket_path);

  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "NOTIFY_SOCKET=", 14) != 0) env.emplace_back(*e);
  env.push_back("NOTIFY_SOCKET=" + socket_path);
  std::vector<char*> envp, args;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    fail("spawn " + argv[0]);
  }
  children_.push_back(pid);
  notify_sockets_[pid] = std::move(sock);
  return pid;
}

void Sandbox::adopt(pid_t pid) {
  if (std::find(children_.begin(), children_.end(), pid) == children_.end()) children_.push_back(pid);
}

void Sandbox::read_notifications(pid_t pid) {
  auto it = notify_sockets_.find(pid);
  if (it == notify_sockets_.end()) return;
  char buf[4096];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 16)];
  for (;;) {
    iovec iov{buf, sizeof buf - 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(it->second.get(), &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (n < 0) return;
    // As systemd: fds sent along (sd_notify_barrier's pipe) are closed once read.
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int fd;
        std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
        ::close(fd);
      }
    }
    std::string message(buf, static_cast<size_t>(n));
    size_t start = 0;
    while (start < message.size()) {
      size_t end = message.find('\n', start);
      if (end == std::string::npos) end = message.size();
      std::string line = message.substr(start, end - start);
      if (auto eq = line.find('='); eq != std::string::npos)
        notified_[pid][line.substr(0, eq)] = line.substr(eq + 1);
      start = end + 1;
    }
  }
}

std::optional<std::map<std::string, std::string>> Sandbox::wait_ready(pid_t pid,
                                                                      std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  UniqueFd pidfd(pidfd_of(pid));
  if (!pidfd) fail("pidfd_open " + std::to_string(pid));
  int sock = notify_sockets_.at(pid).get();
  for (;;) {
    read_notifications(pid);
    if (notified_[pid].count("READY")) return notified_[pid];
    pollfd fds[2] = {{sock, POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    int rc = ::poll(fds, 2, static_cast<int>(left.count()));
    if (rc < 0 && errno != EINTR) fail("poll");
    if (rc > 0 && (fds[1].revents & POLLIN)) {
      // Exited: whatever it sent is queued already.
      read_notifications(pid);
      return notified_[pid];
    }
  }
}

std::optional<Exited> Sandbox::wait_exit(pid_t pid, std::chrono::seconds timeout) {
  UniqueFd pidfd(pidfd_of(pid));
  if (!pidfd) fail("pidfd_open " + std::to_string(pid));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto sock = notify_sockets_.find(pid);
  // Notifications are read while waiting, as systemd does (sd_notify_barrier waits for it).
  while (sock != notify_sockets_.end()) {
    pollfd fds[2] = {{pidfd.get(), POLLIN, 0}, {sock->second.get(), POLLIN, 0}};
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    int rc = ::poll(fds, 2, static_cast<int>(left.count()));
    if (rc < 0 && errno != EINTR) fail("poll");
    if (rc > 0 && (fds[1].revents & POLLIN)) read_notifications(pid);
    if (rc > 0 && (fds[0].revents & POLLIN)) break;
  }
  if (sock == notify_sockets_.end() && !poll_until(pidfd.get(), deadline)) return std::nullopt;
  Exited exited;
  if (::waitpid(pid, &exited.status, __WALL) < 0) fail("waitpid " + std::to_string(pid));
  children_.erase(std::remove(children_.begin(), children_.end(), pid), children_.end());
  read_notifications(pid);
  exited.notified = notified_[pid];
  notify_sockets_.erase(pid);
  return exited;
}

void Sandbox::stop(pid_t pid, std::chrono::seconds grace) {
  if (std::find(children_.begin(), children_.end(), pid) == children_.end()) return;
  ::kill(pid, SIGTERM);
  if (wait_exit(pid, grace)) return;
  ::kill(pid, SIGKILL);
  wait_exit(pid, 60s);
}

}  // namespace podlet::test
