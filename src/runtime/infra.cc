#include "runtime/infra.h"

#include <fcntl.h>
#include <malloc.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "base/fs_tree.h"
#include "base/scope_guard.h"
#include "runtime/child_report.h"
#include "runtime/holder.h"
#include "runtime/notify.h"
#include "runtime/pod_files.h"
#include "runtime/syscalls.h"

namespace podlet::runtime {

namespace {

sigset_t hold_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, sig);
  return set;
}

// Signals stay blocked from the start: a SIGTERM during setup is taken by the
// sigwaitinfo below (blocked signals also reach a pid namespace's init).
[[noreturn]] void hold_namespaces() noexcept {
  exec_holder();  // returns only when it cannot: then this process holds them itself
  ::malloc_trim(0);
  sigset_t set = hold_signals();
  for (;;) {
    int sig = ::sigwaitinfo(&set, nullptr);
    if (sig == SIGCHLD) {
      while (::waitpid(-1, nullptr, WNOHANG) > 0) {
      }
    } else if (sig == SIGTERM || sig == SIGINT) {
      ::_exit(0);
    }
  }
}

int namespace_flags(const plan::InfraSpec& spec) {
  return (spec.new_net ? CLONE_NEWNET : 0) | (spec.new_uts ? CLONE_NEWUTS : 0) |
         (spec.new_ipc ? CLONE_NEWIPC : 0);
}

// What runs inside the new namespaces: hostname, lo. 0 or -errno, `step` set.
int setup_inside(const plan::InfraSpec& spec, const char** step) noexcept {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (spec.new_uts && ::sethostname(spec.hostname.data(), spec.hostname.size()) < 0) {
    *step = "sethostname";
    return -errno;
  }
  if (spec.new_net) {
    if (int rc = bring_up_loopback(); rc < 0) {
      *step = "bring up lo";
      return rc;
    }
  }
  return 0;
}

// The forked PID 1 of a shared pid namespace: sets up, reports, waits for the
// parent's go (EOF without it: the parent failed, leave), then holds.
[[noreturn]] void run_pid1(const plan::InfraSpec& spec, int report_fd, int go_fd) noexcept {
  const char* step = "";
  if (int rc = setup_inside(spec, &step); rc < 0) child_fail(report_fd, step, "", -rc, 1);
  ::close(report_fd);
  char go = 0;
  ssize_t n;
  do {
    n = ::read(go_fd, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) ::_exit(1);
  ::close(go_fd);
  hold_namespaces();
}

struct Started {
  pid_t pid;  // the infra process containers join
  UniqueFd pidfd;
  UniqueFd go;  // write end: tells a forked PID 1 to stay
};

Started start_forked_pid1(const plan::InfraSpec& spec) {
  Pipe report = make_pipe();
  Pipe go = make_pipe();
  uint64_t flags = CLONE_NEWPID | CLONE_PARENT | CLONE_PIDFD | static_cast<uint64_t>(namespace_flags(spec));
  int pidfd = -1;
  pid_t pid = sys::clone3_fork(flags, &pidfd);
  if (pid < 0) throw system_error("clone3 the pod's PID 1");
  if (pid == 0) {
    report.read.reset();
    go.write.reset();
    run_pid1(spec, report.write.get(), go.read.get());
  }
  Started started{pid, UniqueFd(pidfd), std::move(go.write)};
  report.write.reset();
  if (auto failure = read_child_failure(report.read.get())) {
    throw Error("the pod's PID 1: " + failure->message(), failure->error);
  }
  return started;
}

Started start_in_place(const plan::InfraSpec& spec) {
  if (int flags = namespace_flags(spec); flags && ::unshare(flags) < 0)
    throw system_error("unshare the pod's namespaces");
  const char* step = "";
  if (int rc = setup_inside(spec, &step); rc < 0) throw system_error(step, -rc);
  int pidfd = sys::pidfd_open(::getpid(), 0);
  if (pidfd < 0) throw system_error("pidfd_open self");
  return Started{::getpid(), UniqueFd(pidfd), UniqueFd()};
}

}  // namespace

int bring_up_loopback() noexcept {
  int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return -errno;
  ifreq req;
  std::memset(&req, 0, sizeof req);
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  int rc = 0;
  if (::ioctl(sock, SIOCGIFFLAGS, &req) < 0) {
    rc = -errno;
  } else {
    req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
    if (::ioctl(sock, SIOCSIFFLAGS, &req) < 0) rc = -errno;
  }
  ::close(sock);
  return rc;
}

int run_infra(const plan::InfraSpec& spec, const InfraHooks& hooks) {
  const std::string who = "infra of pod " + spec.pod;
  return with_context(who, [&] {
    if (spec.pid_file.empty()) throw Error("pid_file: empty");
    if (spec.new_uts && spec.hostname.empty()) throw Error("hostname: empty");
    sigset_t set = hold_signals();
    ::sigprocmask(SIG_BLOCK, &set, nullptr);

    Rollback undo([](const std::string& m) { spdlog::warn("{}", m); });
    prepare_pod_files(spec, undo);
    Started infra = spec.new_pid ? start_forked_pid1(spec) : start_in_place(spec);
    if (spec.new_pid)
      undo.push("infra process " + std::to_string(infra.pid), [&infra] {
        if (sys::pidfd_send_signal(infra.pidfd.get(), SIGKILL) < 0) throw system_error("kill");
      });

    std::string pod_ip;
    if (spec.new_net && spec.network.enabled && hooks.attach_network) {
      UniqueFd netns = open_fd("/proc/" + std::to_string(infra.pid) + "/ns/net", O_RDONLY);
      // The pid could have been reused between clone and open: the pidfd says.
      if (sys::pidfd_send_signal(infra.pidfd.get(), 0) < 0) throw system_error("the infra died");
      undo.push("network attachment", [&] {
        if (hooks.detach_network) hooks.detach_network(spec);
      });
      pod_ip =
          with_context("attach network", [&] { return hooks.attach_network(spec, infra.pid, netns.get()); });
    }
    write_etc_hosts(spec, pod_ip);
    if (hooks.publish_hosts)
      with_context("publish /etc/hosts", [&] { hooks.publish_hosts(spec, pod_ip, infra.pid); });
    write_file_atomic(spec.pid_file, std::to_string(infra.pid) + "\n", 0644);
    undo.push("pid file " + spec.pid_file, [&] { remove_file(spec.pid_file); });

    notify_ready(spec.new_pid ? infra.pid : 0);
    undo.dismiss();
    if (spec.new_pid) {
      write_all(infra.go.get(), "g");
      return 0;
    }
    hold_namespaces();
  });
}

std::vector<std::string> cleanup_infra(const plan::InfraSpec& spec, const InfraHooks& hooks) {
  std::vector<std::string> failures;
  if (spec.new_net && spec.network.enabled && hooks.detach_network) {
    try {
      hooks.detach_network(spec);
    } catch (const std::exception& e) {
      failures.push_back(std::string("detach network: ") + e.what());
    }
  }
  for (auto& failure : remove_pod_files(spec)) failures.push_back(std::move(failure));
  if (!spec.pid_file.empty() && ::unlink(spec.pid_file.c_str()) < 0 && errno != ENOENT)
    failures.push_back("unlink " + spec.pid_file + ": " + std::strerror(errno));
  return failures;
}

}  // namespace podlet::runtime
