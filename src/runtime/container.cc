#include "runtime/container.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "base/atomic_file.h"
#include "base/fd.h"
#include "base/fs_tree.h"
#include "runtime/capabilities.h"
#include "runtime/child_plan.h"
#include "runtime/child_report.h"
#include "runtime/syscalls.h"
#include "runtime/tty.h"

namespace podlet::runtime {

namespace {

[[noreturn]] void setup_error(const std::string& message, int err = 0) {
  throw ContainerStartError(message, err, kExitSetupFailed);
}

void check_overlay_path(const std::string& field, const std::string& path) {
  if (path.empty() || path.front() != '/') setup_error(field + ": \"" + path + "\" is not an absolute path");
  if (path.find_first_of(",:\\") != std::string::npos)
    setup_error(field + ": \"" + path + "\" contains a character overlayfs cannot take (, : \\)");
}

void check_absolute(const std::string& field, const std::string& path) {
  if (path.empty() || path.front() != '/') setup_error(field + ": \"" + path + "\" is not an absolute path");
}

// Devices are made directly in /dev: "/dev/NAME".
void validate_devices(const std::vector<plan::DeviceSpec>& devices) {
  for (const auto& d : devices) {
    std::string name = d.path.rfind("/dev/", 0) == 0 ? d.path.substr(5) : "";
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
      setup_error("devices: \"" + d.path + "\" is not a path directly below /dev");
    if (d.type != "c" && d.type != "b")
      setup_error("devices: " + d.path + ": unknown type \"" + d.type + "\"");
    if (d.mode > 0777)
      setup_error("devices: " + d.path + ": mode " + std::to_string(d.mode) + " out of range");
  }
}

void validate(const plan::ContainerSpec& spec) {
  if (spec.process.args.empty()) setup_error("process.args: no command to run");
  if (spec.root.lower_dirs.empty()) setup_error("root.lower_dirs: no image layers");
  for (const auto& dir : spec.root.lower_dirs) check_overlay_path("root.lower_dirs", dir);
  check_overlay_path("root.upper_dir", spec.root.upper_dir);
  check_overlay_path("root.work_dir", spec.root.work_dir);
  check_absolute("root.rootfs", spec.root.rootfs);
  check_absolute("process.cwd", spec.process.cwd);
  for (const auto& path : spec.masked_paths) check_absolute("masked_paths", path);
  for (const auto& path : spec.readonly_paths) check_absolute("readonly_paths", path);
  validate_devices(spec.devices);
  for (const auto& m : spec.mounts) {
    check_absolute("mounts: destination", m.destination);
    static const char* kTypes[] = {"bind", "tmpfs", "proc", "sysfs", "mqueue", "devpts"};
    if (std::find_if(std::begin(kTypes), std::end(kTypes), [&](const char* t) { return m.type == t; }) ==
        std::end(kTypes))
      setup_error("mounts: " + m.destination + ": unknown type \"" + m.type + "\"");
    if (m.type == "bind" && (m.source.empty() || m.source.front() != '/'))
      setup_error("mounts: " + m.destination + ": bind source \"" + m.source + "\" is not an absolute path");
  }
}

pid_t read_infra_pid(const std::string& pid_file) {
  std::string text = read_file(pid_file);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  pid_t pid = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc() || ptr != text.data() + text.size() || pid <= 0)
    setup_error("infra pid file " + pid_file + ": \"" + text + "\" is not a pid");
  return pid;
}

// A fresh writable layer at every start: a restarted container starts clean.
void prepare_layers(const plan::RootSpec& root, const std::string& rootfs) {
  remove_tree(root.upper_dir);
  remove_tree(root.work_dir);
  make_dirs(root.upper_dir, 0755);
  make_dirs(root.work_dir, 0700);
  make_dirs(rootfs, 0700);
}

std::vector<PreparedMount> prepare_mounts(const std::vector<plan::MountSpec>& mounts) {
  std::vector<PreparedMount> out;
  for (const auto& m : mounts) {
    PreparedMount p;
    p.type = m.type;
    p.source = m.source;
    p.sub_path = m.sub_path;
    p.destination = m.destination;
    p.options = parse_mount_options(m.options);
    if (m.read_only) p.options.attr_set |= MOUNT_ATTR_RDONLY;
    p.recursive = m.recursive;
    p.is_file = m.is_file;
    if (!m.propagation.empty() && !parse_propagation(m.propagation, p.propagation, p.propagation_recursive))
      setup_error("mounts: " + m.destination + ": unknown propagation \"" + m.propagation + "\"");
    out.push_back(std::move(p));
  }
  return out;
}

ChildPlan make_plan(const plan::ContainerSpec& spec) {
  ChildPlan plan;
  plan.name = spec.name;
  plan.rootfs = spec.root.rootfs;
  for (const auto& dir : spec.root.lower_dirs)
    plan.overlay_lower += (plan.overlay_lower.empty() ? "" : ":") + dir;
  plan.overlay_upper = spec.root.upper_dir;
  plan.overlay_work = spec.root.work_dir;
  plan.read_only_root = spec.root.read_only;
  plan.dev_shm = spec.dev_shm;
  plan.mounts = prepare_mounts(spec.mounts);
  for (auto& m : prepare_mounts(spec.etc_files)) plan.mounts.push_back(std::move(m));
  plan.masked_paths = spec.masked_paths;
  plan.readonly_paths = spec.readonly_paths;
  plan.sysfs_read_only = spec.sysfs_read_only;
  plan.devices = spec.devices;
  const auto& p = spec.process;
  plan.identity = IdentityRequest{p.user, p.uid, p.gid, p.supplemental_groups};
  plan.run_as_non_root = p.run_as_non_root;
  plan.capabilities = parse_capabilities(p.capabilities.names) & all_capabilities();
  plan.seccomp = build_seccomp_filter(p.seccomp, plan.capabilities);
  plan.no_new_privileges = p.no_new_privileges;
  plan.args = p.args;
  plan.env = p.env;
  plan.cwd = p.cwd;
  plan.stdin_open = p.stdin_open;
  plan.tty = p.tty;
  return plan;
}

// The pod's namespaces: the infra's pidfd for the child's setns (net, uts, ipc) and the
// pid namespace, joined here (it applies to children only). Empty: nothing to join.
UniqueFd join_pod_namespaces(const plan::NamespaceSpec& ns, ChildPlan& plan) {
  UniqueFd infra;
  if (!(ns.join_net || ns.join_uts || ns.join_ipc || ns.join_pid)) return infra;
  if (ns.infra_pid_file.empty())
    setup_error("namespaces.infra_pid_file: empty, but namespaces are to be joined");
  pid_t infra_pid = read_infra_pid(ns.infra_pid_file);
  int fd = sys::pidfd_open(infra_pid, 0);
  if (fd < 0) setup_error("the pod's infra (pid " + std::to_string(infra_pid) + ") is not running", errno);
  infra.reset(fd);
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  plan.infra_pidfd = fd;
  plan.join_flags =
      (ns.join_net ? CLONE_NEWNET : 0) | (ns.join_uts ? CLONE_NEWUTS : 0) | (ns.join_ipc ? CLONE_NEWIPC : 0);
  if (ns.join_pid && ::setns(fd, CLONE_NEWPID) < 0) throw system_error("join the pod's pid namespace");
  return infra;
}

// The pipes and the socket between this process and the child (child_plan.h).
struct ChildChannels {
  Pipe report;               // the child's failure record (child_report.h)
  Pipe gate;                 // one byte: the child may exec
  Pipe armed;                // one byte: the child's setup passed, it waits at the gate
  UniqueFd terminal_socket;  // tty: the child sends the pty master back
  UniqueFd terminal_socket_child;
};

ChildChannels open_channels(ChildPlan& plan) {
  ChildChannels ch{make_pipe(), make_pipe(), make_pipe(), {}, {}};
  plan.error_fd = ch.report.write.get();
  plan.gate_fd = ch.gate.read.get();
  plan.armed_fd = ch.armed.write.get();
  if (plan.tty) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
      throw system_error("socketpair for the terminal");
    ch.terminal_socket.reset(sv[0]);
    ch.terminal_socket_child.reset(sv[1]);
    plan.terminal_socket = sv[1];
  }
  return ch;
}

// clone3; the child runs run_container_child and never comes back. The child's ends of
// the channels are closed here afterwards.
StartedContainer clone_child(ChildPlan& plan, ChildChannels& ch, bool new_pid_namespace) {
  uint64_t flags = CLONE_NEWNS | CLONE_PARENT | CLONE_PIDFD | (new_pid_namespace ? CLONE_NEWPID : 0);
  int pidfd = -1;
  pid_t pid = sys::clone3_fork(flags, &pidfd);
  if (pid < 0) throw system_error("clone3");
  if (pid == 0) {
    ::close(ch.gate.write.get());  // so that the parent's end alone decides: byte or end of file
    run_container_child(plan);
  }
  StartedContainer started;
  started.pid = pid;
  started.pidfd.reset(pidfd);
  ch.report.write.reset();
  ch.gate.read.reset();
  ch.armed.write.reset();
  ch.terminal_socket_child.reset();
  return started;
}

// The child's setup either passes (one byte: it waits at the gate) or fails (end of
// file: it exited, its report follows). Only a child about to exec is handed to
// before_exec, so setup failures are reported by this process as before.
void hand_over(const ChildPlan& plan, ChildChannels& ch, StartedContainer& started,
               const std::function<void(pid_t)>& before_exec) {
  char byte = 0;
  ssize_t n;
  do n = ::read(ch.armed.read.get(), &byte, 1);
  while (n < 0 && errno == EINTR);
  if (n == 1) {
    if (plan.tty) {  // sent before "armed"
      int master = receive_fd(ch.terminal_socket.get());
      if (master < 0) setup_error("receive the terminal's master from the child", -master);
      started.terminal.reset(master);
    }
    if (before_exec) before_exec(started.pid);  // throws: the gate closes unopened, the child leaves
    ::signal(SIGPIPE, SIG_IGN);                 // a child killed meanwhile: EPIPE, not SIGPIPE
    if (::write(ch.gate.write.get(), "x", 1) < 0 && errno != EPIPE) throw system_error("open the exec gate");
  }
  ch.gate.write.reset();
  if (auto failure = read_child_failure(ch.report.read.get()))
    throw ContainerStartError(failure->message(), failure->error, failure->exit_code);
}

// The stages; none names the container (launch_container does, once).
StartedContainer launch(const plan::ContainerSpec& spec, const std::function<void(pid_t)>& before_exec) {
  validate(spec);
  ChildPlan plan = make_plan(spec);
  UniqueFd infra = join_pod_namespaces(spec.namespaces, plan);
  prepare_layers(spec.root, plan.rootfs);
  ChildChannels channels = open_channels(plan);
  StartedContainer started = clone_child(plan, channels, !spec.namespaces.join_pid);
  hand_over(plan, channels, started, before_exec);
  return started;
}

}  // namespace

StartedContainer launch_container(const plan::ContainerSpec& spec,
                                  const std::function<void(pid_t)>& before_exec) {
  const std::string who = "container " + spec.name;
  try {
    return launch(spec, before_exec);
  } catch (const ContainerStartError& e) {
    throw ContainerStartError(who + ": " + e.what(), e.error_number(), e.exit_code());
  } catch (const Error& e) {
    throw ContainerStartError(who + ": " + e.what(), e.error_number(), kExitSetupFailed);
  }
}

}  // namespace podlet::runtime
