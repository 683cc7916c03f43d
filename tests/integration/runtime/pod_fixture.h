// A pod run by hand as systemd would run it, without systemd: `podlet internal
// infra --spec` and `podlet internal container --spec` started by the test, which
// receives their sd_notify messages and, through CLONE_PARENT, becomes the parent
// of the pod's PID 1 and of every workload (and so reaps them).
//
// The pod network is disabled in every spec: the infra creates its network
// namespace with only lo, nothing is attached on the host.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/paths.h"
#include "plan/pod_plan.h"
#include "plan/runtime_spec.h"
#include "sandbox.h"

namespace podlet::test {

// An unpacked image layer made of Debian's busybox-static and the probe
// (/usr/bin/podlet-probe), with users root, nobody, app (1000, member of group
// extra 2000) in /etc/passwd and /etc/group.
std::string make_test_image(const Sandbox& sandbox, const std::string& name = "image");

// Podman's default capability set, as the planner writes it into a spec.
const std::vector<std::string>& podman_default_capabilities();
// Podman's masked and read-only paths, as the planner writes them into a spec.
const std::vector<std::string>& podman_masked_paths();
const std::vector<std::string>& podman_readonly_paths();

// A started container: the podlet entrypoint's exit and, when it started the
// workload, the workload's pid (our child).
struct Started {
  int podlet_exit = -1;
  std::string podlet_stderr;
  pid_t pid = -1;  // the workload, -1 when it never ran
  std::string stdout_path;
  std::string stderr_path;
};

class Pod {
 public:
  // share_pid: shareProcessNamespace (the infra becomes PID 1 of the pod).
  Pod(Sandbox& sandbox, std::string name, std::string image_dir, bool share_pid = false);
  // A pod whose infra spec the planner wrote (its network must be disabled).
  Pod(Sandbox& sandbox, plan::InfraSpec infra, std::string image_dir);
  ~Pod();
  Pod(const Pod&) = delete;
  Pod& operator=(const Pod&) = delete;

  const plan::InfraSpec& infra_spec() const { return infra_; }
  // Starts the infra and waits for READY=1; fails the test (throws) otherwise.
  void start();
  pid_t infra_pid() const { return infra_pid_; }
  // The inode of the infra's namespace `kind` (net, uts, ipc, pid, mnt).
  ino_t infra_namespace(const std::string& kind) const;

  // A spec as the planner writes it for a container of this pod with Podman's
  // defaults (11 capabilities, RuntimeDefault seccomp, masked/read-only paths,
  // read-only /sys, the default devices).
  plan::ContainerSpec container_spec(const std::string& name, std::vector<std::string> args) const;

  // Runs `podlet internal container --spec` and waits for it to exit.
  Started start_container(const plan::ContainerSpec& spec);

  // Runs the probe with args to completion; returns the last JSON line it
  // printed. The test fails (throws) when it does not start or exit 0.
  nlohmann::json probe(plan::ContainerSpec spec);
  nlohmann::json probe(const std::string& container, std::vector<std::string> args);

 private:
  Sandbox& sandbox_;
  std::string name_;
  std::string image_dir_;
  std::string spec_dir_;
  plan::InfraSpec infra_;
  pid_t infra_pid_ = -1;
  std::vector<pid_t> workloads_;
};

// The stores (root, runroot) of pods planned for a test: under the sandbox.
plan::Paths test_paths(const Sandbox& sandbox);

// The plan of the one pod in manifest `yaml`, its images all the test image
// `image_dir` (localhost/busybox:latest), stores under test_paths, the pod network
// disabled (lo only). Throws when the manifest has an error.
plan::PodPlan plan_test_pod(const Sandbox& sandbox, const std::string& yaml, const std::string& image_dir);

// The last line of a file that parses as JSON; a null json when there is none.
nlohmann::json last_json_line(const std::string& path);

// Waits until a line of the file parses as JSON and has `key` (a long-running
// probe announcing itself); throws after the timeout.
nlohmann::json wait_for_json(const std::string& path, const std::string& key,
                             std::chrono::seconds timeout = 60s);

// A capability set as /proc/PID/status prints it ("00000000a80425fb").
uint64_t cap_mask(const nlohmann::json& hex);

}  // namespace podlet::test
