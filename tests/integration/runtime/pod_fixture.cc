#include "pod_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "base/atomic_file.h"
#include "manifest/model.h"
#include "plan/planner.h"

namespace podlet::test {

namespace fs = std::filesystem;

namespace {

void write_text(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  write_file_atomic(path, text, 0644);
}

// Every busybox applet as a link to /bin/busybox where busybox expects it.
void link_applets(const std::string& root) {
  FILE* list = ::popen("/bin/busybox --list-full", "r");
  if (!list) throw std::runtime_error("busybox --list-full");
  char line[256];
  while (std::fgets(line, sizeof line, list)) {
    std::string applet(line);
    while (!applet.empty() && (applet.back() == '\n' || applet.back() == '\r')) applet.pop_back();
    if (applet.empty() || applet == "bin/busybox") continue;
    if (applet.find('/') == std::string::npos) applet = "bin/" + applet;
    fs::path dest = fs::path(root) / applet;
    fs::create_directories(dest.parent_path());
    std::error_code ec;
    fs::create_symlink("/bin/busybox", dest, ec);
  }
  ::pclose(list);
}

void copy_executable(const std::string& from, const std::string& to) {
  fs::create_directories(fs::path(to).parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms(0755));
}

}  // namespace

std::string make_test_image(const Sandbox& sandbox, const std::string& name) {
  std::string root = sandbox.dir() + "/" + name;
  for (const char* dir : {"bin", "sbin", "usr/bin", "usr/sbin", "etc", "tmp", "root", "home/app", "var",
                          "proc", "sys", "dev", "run"})
    fs::create_directories(root + "/" + dir);
  fs::permissions(root + "/tmp", fs::perms(01777));
  copy_executable("/bin/busybox", root + "/bin/busybox");
  link_applets(root);
  copy_executable(PODLET_PROBE, root + "/usr/bin/podlet-probe");
  write_text(root + "/etc/passwd",
             "root:x:0:0:root:/root:/bin/sh\n"
             "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
             "app:x:1000:1000:app:/home/app:/bin/sh\n");
  write_text(root + "/etc/group",
             "root:x:0:\n"
             "app:x:1000:\n"
             "extra:x:2000:app\n"
             "nogroup:x:65534:\n");
  return root;
}

const std::vector<std::string>& podman_default_capabilities() {
  static const std::vector<std::string> caps = {
      "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FOWNER",  "CAP_FSETID", "CAP_KILL",      "CAP_NET_BIND_SERVICE",
      "CAP_SETFCAP", "CAP_SETGID",       "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"};
  return caps;
}

const std::vector<std::string>& podman_masked_paths() {
  static const std::vector<std::string> paths = {"/proc/acpi",        "/proc/kcore",
                                                 "/proc/keys",        "/proc/latency_stats",
                                                 "/proc/sched_debug", "/proc/scsi",
                                                 "/proc/timer_list",  "/proc/timer_stats",
                                                 "/sys/dev/block",    "/sys/devices/virtual/powercap",
                                                 "/sys/firmware",     "/sys/fs/selinux"};
  return paths;
}

const std::vector<std::string>& podman_readonly_paths() {
  static const std::vector<std::string> paths = {"/proc/asound", "/proc/bus", "/proc/fs",
                                                 "/proc/irq",    "/proc/sys", "/proc/sysrq-trigger"};
  return paths;
}

uint64_t cap_mask(const nlohmann::json& hex) {
  if (!hex.is_string()) throw std::runtime_error("not a capability set: " + hex.dump());
  return std::stoull(hex.get<std::string>(), nullptr, 16);
}

nlohmann::json last_json_line(const std::string& path) {
  std::string text = read_text(path);
  size_t end = text.size();
  while (end > 0) {
    size_t start = text.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    auto parsed = nlohmann::json::parse(text.substr(start, end - start), nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) return parsed;
    end = start == 0 ? 0 : start - 1;
  }
  return nullptr;
}

nlohmann::json wait_for_json(const std::string& path, const std::string& key, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto j = last_json_line(path);
    if (j.is_object() && j.contains(key)) return j;
    std::this_thread::sleep_for(20ms);
  }
  throw std::runtime_error(path + ": no line with \"" + key + "\" after " + std::to_string(timeout.count()) +
                           " s; output: " + read_text(path));
}

Pod::Pod(Sandbox& sandbox, std::string name, std::string image_dir, bool share_pid)
    : sandbox_(sandbox), name_(std::move(name)), image_dir_(std::move(image_dir)) {
  spec_dir_ = sandbox_.dir() + "/specs/" + name_;
  fs::create_directories(spec_dir_);
  std::string state = sandbox_.dir() + "/run/" + name_;
  infra_.pod = "test/" + name_;
  infra_.pod_id = "test_" + name_;
  infra_.pod_uid = "uid-" + name_;
  infra_.state_dir = state;
  infra_.hostname = name_;
  infra_.new_pid = share_pid;
  infra_.pid_file = state + "/infra.pid";
  infra_.network.enabled = false;  // lo only: nothing is attached on the host
  infra_.dev_shm = state + "/shm";
  infra_.etc_hosts = state + "/hosts";
  infra_.etc_hostname = state + "/hostname";
  infra_.resolv_conf = state + "/resolv.conf";
  infra_.resolv_conf_content = "nameserver 192.0.2.53\n";
}

Pod::Pod(Sandbox& sandbox, plan::InfraSpec infra, std::string image_dir)
    : sandbox_(sandbox), name_(infra.pod_id), image_dir_(std::move(image_dir)), infra_(std::move(infra)) {
  if (infra_.network.enabled)
    throw std::runtime_error("pod " + infra_.pod + ": tests run without the pod network");
  spec_dir_ = sandbox_.dir() + "/specs/" + name_;
  fs::create_directories(spec_dir_);
}

Pod::~Pod() {
  try {
    for (pid_t pid : workloads_) sandbox_.stop(pid, 0s);
    if (infra_pid_ > 0) sandbox_.stop(infra_pid_, 10s);
    std::string spec = spec_dir_ + "/infra.json";
    if (infra_pid_ > 0 && ::access(spec.c_str(), R_OK) == 0) {
      pid_t cleanup = sandbox_.spawn({PODLET_BINARY, "internal", "infra-cleanup", "--spec", spec},
                                     spec_dir_ + "/cleanup.out", spec_dir_ + "/cleanup.err");
      sandbox_.wait_exit(cleanup, 60s);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "teardown of pod %s: %s\n", name_.c_str(), e.what());
  }
}

void Pod::start() {
  std::string spec = spec_dir_ + "/infra.json";
  write_text(spec, nlohmann::json(infra_).dump(2));
  std::string err = spec_dir_ + "/infra.err";
  pid_t podlet =
      sandbox_.spawn({PODLET_BINARY, "internal", "infra", "--spec", spec}, spec_dir_ + "/infra.out", err);
  auto notified = sandbox_.wait_ready(podlet, 60s);
  if (!notified || !notified->count("READY"))
    throw std::runtime_error("infra of pod " + name_ + " did not become ready: " + read_text(err));
  if (infra_.new_pid) {
    // The forked PID 1 is our child (CLONE_PARENT); podlet itself leaves.
    infra_pid_ = std::stoi(notified->at("MAINPID"));
    sandbox_.adopt(infra_pid_);
    auto exited = sandbox_.wait_exit(podlet, 60s);
    if (!exited || exited->exit_code() != 0)
      throw std::runtime_error("infra of pod " + name_ +
                               " did not hand over to its PID 1: " + read_text(err));
  } else {
    infra_pid_ = podlet;
  }
  if (std::stoi(read_text(infra_.pid_file)) != infra_pid_)
    throw std::runtime_error("infra pid file " + infra_.pid_file + " does not name the infra " +
                             std::to_string(infra_pid_));
}

ino_t Pod::infra_namespace(const std::string& kind) const {
  struct stat st {};
  std::string path = "/proc/" + std::to_string(infra_pid_) + "/ns/" + kind;
  if (::stat(path.c_str(), &st) < 0) throw std::runtime_error("stat " + path);
  return st.st_ino;
}

plan::ContainerSpec Pod::container_spec(const std::string& name, std::vector<std::string> args) const {
  plan::ContainerSpec spec;
  std::string data = sandbox_.dir() + "/data/" + name_ + "/containers/" + name;
  spec.pod = infra_.pod;
  spec.pod_id = infra_.pod_id;
  spec.name = name;
  spec.state_dir = infra_.state_dir;
  spec.namespaces.infra_pid_file = infra_.pid_file;
  spec.namespaces.join_pid = infra_.new_pid;
  spec.root.lower_dirs = {image_dir_};
  spec.root.upper_dir = data + "/upper";
  spec.root.work_dir = data + "/work";
  spec.root.rootfs = data + "/rootfs";
  spec.process.cwd = "/";
  spec.process.args = std::move(args);
  spec.process.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  spec.process.capabilities.names = podman_default_capabilities();
  spec.process.seccomp.mode = "runtime-default";
  spec.masked_paths = podman_masked_paths();
  spec.readonly_paths = podman_readonly_paths();
  spec.devices = plan::default_devices();
  spec.dev_shm = infra_.dev_shm;
  return spec;
}

Started Pod::start_container(const plan::ContainerSpec& spec) {
  Started started;
  std::string path = spec_dir_ + "/container-" + spec.name + ".json";
  write_text(path, nlohmann::json(spec).dump(2));
  started.stdout_path = spec_dir_ + "/" + spec.name + ".out";
  started.stderr_path = spec_dir_ + "/" + spec.name + ".err";
  ::unlink(started.stdout_path.c_str());
  ::unlink(started.stderr_path.c_str());
  pid_t podlet = sandbox_.spawn({PODLET_BINARY, "internal", "container", "--spec", path}, started.stdout_path,
                                started.stderr_path);
  auto exited = sandbox_.wait_exit(podlet, 120s);
  if (!exited) throw std::runtime_error("podlet internal container " + spec.name + " did not exit");
  started.podlet_exit = exited->exit_code();
  started.podlet_stderr = read_text(started.stderr_path);
  if (started.podlet_exit == 0 && exited->notified.count("MAINPID")) {
    started.pid = std::stoi(exited->notified.at("MAINPID"));
    sandbox_.adopt(started.pid);
    workloads_.push_back(started.pid);
  }
  return started;
}

nlohmann::json Pod::probe(plan::ContainerSpec spec) {
  Started started = start_container(spec);
  if (started.podlet_exit != 0 || started.pid <= 0)
    throw std::runtime_error("container " + spec.name + " did not start (exit " +
                             std::to_string(started.podlet_exit) + "): " + started.podlet_stderr);
  auto exited = sandbox_.wait_exit(started.pid, 120s);
  if (!exited) throw std::runtime_error("container " + spec.name + " still runs after 120 s");
  if (exited->exit_code() != 0)
    throw std::runtime_error("container " + spec.name + " exited with status " +
                             std::to_string(exited->status) + ": " + read_text(started.stderr_path) +
                             read_text(started.stdout_path));
  return last_json_line(started.stdout_path);
}

nlohmann::json Pod::probe(const std::string& container, std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/podlet-probe");
  return probe(container_spec(container, std::move(args)));
}

plan::Paths test_paths(const Sandbox& sandbox) {
  plan::Paths paths;
  paths.root = sandbox.dir() + "/lib";
  paths.runroot = sandbox.dir() + "/run";
  return paths;
}

plan::PodPlan plan_test_pod(const Sandbox& sandbox, const std::string& yaml, const std::string& image_dir) {
  auto manifest = manifest::load_manifest(yaml, "pod.yaml");
  std::string errors;
  for (const auto& d : manifest.diagnostics)
    if (d.severity == manifest::Diagnostic::kError)
      errors += "\n" + std::to_string(d.line) + ": " + d.path + ": " + d.message;
  if (!manifest.ok() || manifest.pods.size() != 1)
    throw std::runtime_error("test manifest: not one valid pod" + errors);
  plan::ImageData busybox;
  busybox.id = "sha256:" + std::string(64, '1');
  busybox.layer_dirs = {image_dir};
  busybox.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  plan::PlanOptions options;
  options.paths = test_paths(sandbox);
  options.podlet_binary = PODLET_BINARY;
  options.network.enabled = false;
  auto planned = plan::plan_pod(manifest.pods[0], manifest, {{"localhost/busybox:latest", busybox}}, options);
  planned.infra.network.enabled = false;  // lo only: nothing attached on the host
  return planned;
}

}  // namespace podlet::test
