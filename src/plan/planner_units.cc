// The pod's unit graph:
//   slice   podlet-<ns>_<name>.slice: every unit of the pod; stopping it stops the pod.
//           Pod-level MemoryMax/CPUQuota when every container has the limit, TasksMax.
//   infra   Type=notify, `podlet internal infra`; ExecStopPost=`podlet internal
//           infra-cleanup` so unmounts and IP release happen however the pod stops.
//   init    Type=oneshot + RemainAfterExit: each After the previous, run to success.
//   sidecar init containers with restartPolicy Always: Type=notify, Restart=always, in order.
//   app     Type=notify, Restart= from the pod's restartPolicy, After the last init/sidecar;
//           RemainAfterExit unless Restart=always, so exit statuses stay readable.
// Unit files (generate systemd) start the pod from its infra: the infra Wants= every
// container and is WantedBy=multi-user.target, a container after an init container
// Requires= it (UnitSpec::file_*; play starts transient units in order itself).
// Containers run podlet-runtime, the container entrypoint as a small binary of its own
// next to podlet's (runtime/self_exe.h): `podlet-runtime internal container --spec FILE`
// is `podlet internal container --spec FILE` without loading podlet's ~60 libraries.
// Every container unit BindsTo+After the infra: killing or stopping the infra stops
// the pod. Stop: KillSignal (SIGTERM or lifecycle.stopSignal) to the whole cgroup,
// SIGKILL after terminationGracePeriodSeconds (at least 2 s, as kubelet).
// Restart=: Always -> always, OnFailure -> on-failure, Never -> no, after 1 s; a
// container that starts more than 10 times in 2 minutes is given up (failed) --
// systemd 252 has no exponential back-off like CrashLoopBackOff.
#include <algorithm>

#include <fmt/core.h>

#include "plan/planner_internal.h"

namespace podlet::plan::detail {

namespace {

constexpr uint64_t kSecond = 1000000;
constexpr uint64_t kRestartUsec = 1 * kSecond;
constexpr uint64_t kStartLimitIntervalUsec = 120 * kSecond;
constexpr uint32_t kStartLimitBurst = 10;
constexpr int64_t kMinGracePeriodSeconds = 2;  // kubelet's minimumGracePeriodInSeconds
constexpr uint64_t kInfraStopTimeoutUsec = 10 * kSecond;
constexpr uint64_t kMinCpuQuotaPerSecUsec = 10000;        // kubelet: at least 1 ms per 100 ms period
constexpr const char* kBootTarget = "multi-user.target";  // `systemctl enable` of the infra

// podlet-runtime beside the podlet binary (installed and built side by side).
std::string runtime_binary(const std::string& podlet_binary) {
  return podlet_binary.substr(0, podlet_binary.find_last_of('/') + 1) + kRuntimeBinaryName;
}

void identify(const PodContext& pod, const std::string& container, UnitSpec& u) {
  u.slice = pod.units.slice;
  u.syslog_identifier = pod.name() + "/" + container;
  u.log_extra_fields = {{kJournalFieldPod, pod.qualified_name()},
                        {kJournalFieldNamespace, pod.ns()},
                        {kJournalFieldPodName, pod.name()},
                        {kJournalFieldContainer, container},
                        {"PODLET_POD_UID", pod.pod.metadata.uid}};
}

std::optional<manifest::Quantity> limit(const manifest::Container& c, const std::string& resource) {
  auto it = c.resources.limits.find(resource);
  if (it == c.resources.limits.end()) return std::nullopt;
  return it->second;
}

uint64_t cpu_quota(int64_t millicores) {
  // 1000m = one CPU = 1 s of CPU time per second.
  return std::max<uint64_t>(static_cast<uint64_t>(millicores) * 1000, kMinCpuQuotaPerSecUsec);
}

// cpu.weight from requests.cpu the way kubelet converts shares (cgroup v2).
uint64_t cpu_weight(int64_t millicores) {
  uint64_t shares = std::max<uint64_t>(static_cast<uint64_t>(millicores) * 1024 / 1000, 2);
  return 1 + ((shares - 2) * 9999) / 262142;
}

// Kubernetes' effective pod value: app containers and sidecars run together; a
// plain init container runs alongside the sidecars started before it.
std::optional<int64_t> pod_total(const PodContext& pod, const std::string& resource, bool milli) {
  int64_t running = 0, peak = 0, sidecars = 0;
  for (const auto& c : pod.pod.spec.init_containers) {
    auto q = limit(c, resource);
    if (!q) return std::nullopt;
    int64_t v = milli ? q->milli : q->value;
    if (c.is_sidecar()) {
      sidecars += v;
    } else {
      peak = std::max(peak, sidecars + v);
    }
  }
  running = sidecars;
  for (const auto& c : pod.pod.spec.containers) {
    auto q = limit(c, resource);
    if (!q) return std::nullopt;
    running += milli ? q->milli : q->value;
  }
  return std::max(peak, running);
}

}  // namespace

UnitSpec slice_unit(const PodContext& pod) {
  UnitSpec u;
  u.name = pod.units.slice;
  u.description = "podlet pod " + pod.qualified_name();
  apply_slice_limits(pod, u);
  return u;
}

void apply_slice_limits(const PodContext& pod, UnitSpec& slice) {
  if (auto mem = pod_total(pod, "memory", false)) slice.memory_max = static_cast<uint64_t>(*mem);
  if (auto cpu = pod_total(pod, "cpu", true)) slice.cpu_quota_per_sec_usec = cpu_quota(*cpu);
  size_t containers = pod.pod.spec.init_containers.size() + pod.pod.spec.containers.size();
  slice.tasks_max = pod.options.pids_limit * (containers + 1);
}

UnitSpec infra_unit(const PodContext& pod, const std::string& infra_spec_path) {
  UnitSpec u;
  u.name = pod.units.infra;
  u.description = "podlet pod " + pod.qualified_name() + " infra";
  identify(pod, "infra", u);
  u.type = "notify";
  u.exec_start = {pod.options.podlet_binary, "internal", "infra", "--spec", infra_spec_path};
  u.exec_stop_post = {{pod.options.podlet_binary, "internal", "infra-cleanup", "--spec", infra_spec_path}};
  // The infra and its cleanup find IPAM and the hosts registry through these: they must be the
  // stores of the podlet that played the pod (--root/--runroot), not the defaults.
  u.environment = {"PODLET_ROOT=" + pod.options.paths.root, "PODLET_RUNROOT=" + pod.options.paths.runroot};
  u.restart = "no";
  u.timeout_stop_usec = kInfraStopTimeoutUsec;
  u.kill_mode = "control-group";
  u.kill_signal = "SIGTERM";
  u.wanted_by = {kBootTarget};
  return u;
}

void wire_unit_files(PodPlan& plan) {
  std::string previous_init;
  for (auto& c : plan.containers) {
    plan.infra_unit.file_wants.push_back(c.unit.name);
    if (!previous_init.empty()) c.unit.file_requires.push_back(previous_init);
    if (c.init && !c.sidecar) previous_init = c.unit.name;
  }
}

UnitSpec container_unit(const PodContext& pod, const ContainerContext& c, const std::string& spec_path,
                        const std::vector<std::string>& after) {
  UnitSpec u;
  u.name = pod.units.container(c.c.name);
  u.description =
      fmt::format("podlet pod {} {}container {}", pod.qualified_name(), c.init ? "init " : "", c.c.name);
  identify(pod, c.c.name, u);
  u.binds_to = {pod.units.infra};
  u.after = {pod.units.infra};
  for (const auto& a : after)
    if (std::find(u.after.begin(), u.after.end(), a) == u.after.end()) u.after.push_back(a);
  u.exec_start = {runtime_binary(pod.options.podlet_binary), "internal", "container", "--spec", spec_path};

  if (c.init && !c.c.is_sidecar()) {
    // Runs to completion once per pod start; stays "active (exited)" so later
    // units ordered after it do not run it again.
    u.type = "oneshot";
    u.remain_after_exit = true;
    u.restart = "no";
  } else {
    u.type = "notify";
    const std::string& policy = c.init ? c.c.restart_policy : pod.pod.spec.restart_policy;
    u.restart = policy == "Always" ? "always" : policy == "OnFailure" ? "on-failure" : "no";
    // A container that is not restarted after it exited 0 stays "active (exited)" with
    // its exit status, so `ps` and `play --wait` can still report it (a transient unit
    // that goes inactive is unloaded and forgets it).
    u.remain_after_exit = u.restart != "always";
  }
  if (u.restart != "no") {
    u.restart_usec = kRestartUsec;
    u.start_limit_interval_usec = kStartLimitIntervalUsec;
    u.start_limit_burst = kStartLimitBurst;
  }

  int64_t grace = std::max(pod.pod.spec.termination_grace_period_seconds, kMinGracePeriodSeconds);
  u.timeout_stop_usec = static_cast<uint64_t>(grace) * kSecond;
  u.kill_mode = "control-group";
  u.kill_signal = "SIGTERM";
  if (c.c.lifecycle && !c.c.lifecycle->stop_signal.empty()) u.kill_signal = c.c.lifecycle->stop_signal;

  if (auto mem = limit(c.c, "memory")) u.memory_max = static_cast<uint64_t>(mem->value);
  if (auto cpu = limit(c.c, "cpu")) u.cpu_quota_per_sec_usec = cpu_quota(cpu->milli);
  if (auto it = c.c.resources.requests.find("cpu"); it != c.c.resources.requests.end())
    u.cpu_weight = cpu_weight(it->second.milli);
  u.tasks_max = pod.options.pids_limit;
  return u;
}

}  // namespace podlet::plan::detail
