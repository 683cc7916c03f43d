// A container's probes and lifecycle hooks.
// Probes: each a timer and a oneshot service (ProbePlan). The timer
// first fires initialDelaySeconds after the container's unit came up (the probe run
// checks it against the container's own start too: an automatic restart keeps the
// timer), then periodSeconds after each start of the service. The timer BindsTo the
// container's unit, so it stops with it; the service does not (a liveness failure
// restarts the container from inside it) and runs in the pod's slice. Unit files: the
// container Wants= its timers; play starts each timer after its container.
// Hooks (HookPlan): commands of the container's own unit. postStart is ExecStartPost=,
// so the unit (and every unit ordered after it) is started only once the hook
// succeeded, and a failed hook fails the start: systemd kills the container and
// restarts it under Restart=, as the kubelet kills and restarts it. preStop is ExecStop=,
// which systemd runs only for a stop it was asked for (down, systemctl stop, a restart):
// the hook runs the handler, then sends the stop signal itself and SIGKILL when the
// rest of the grace period is over, so preStop and the signal share one grace period
// as in Kubernetes.
#include <algorithm>

#include <fmt/core.h>

#include "plan/planner_internal.h"

namespace podlet::plan::detail {

namespace {

constexpr uint64_t kSecond = 1000000;
constexpr uint64_t kFirstRunUsec = 1000;       // initialDelaySeconds 0: at once
constexpr uint64_t kTimerAccuracyUsec = 1000;  // systemd's default (a minute) would blur periods
constexpr int64_t kRunSlackSeconds = 30;
constexpr int64_t kMinGracePeriodSeconds = 2;  // kubelet's minimumGracePeriodInSeconds
// The kubelet gives postStart no timeout; play waits 120 s for a start job
// (systemd::kDefaultJobTimeout), so a hung hook fails the start within it instead of
// hanging play: the hook gives up after 90 s, systemd 10 s later.
constexpr int32_t kPostStartTimeoutSeconds = 90;
constexpr uint64_t kPostStartSlackUsec = 10 * kSecond;
// The preStop hook may take the grace period, then at least 2 s more for the signal
// (kubelet), then a few seconds until systemd saw SIGKILL's end: ExecStop='s timeout.
constexpr int64_t kPreStopSlackSeconds = kMinGracePeriodSeconds + 5;

// The number a port name stands for in the container's ports; 0 when none has it.
void resolve_port(const manifest::Container& c, const manifest::IntOrString& port, HandlerSpec& out) {
  if (port.is_int) {
    out.port = port.int_value;
    return;
  }
  out.port_name = port.str_value;
  for (const auto& p : c.ports)
    if (p.name == port.str_value) out.port = p.container_port;
}

HandlerSpec probe_handler(const manifest::Container& c, const manifest::ProbeHandler& h) {
  HandlerSpec out;
  if (h.exec) out.exec = h.exec->command;
  if (h.http_get) {
    out.http_get = true;
    out.host = h.http_get->host;
    out.scheme = h.http_get->scheme;
    out.path = h.http_get->path.empty() ? "/" : h.http_get->path;
    for (const auto& header : h.http_get->http_headers) out.headers.push_back({header.name, header.value});
    resolve_port(c, h.http_get->port, out);
  }
  if (h.tcp_socket) {
    out.tcp_socket = true;
    out.host = h.tcp_socket->host;
    resolve_port(c, h.tcp_socket->port, out);
  }
  if (h.grpc) {
    out.grpc = true;
    out.port = h.grpc->port;
    out.grpc_service = h.grpc->service;
  }
  return out;
}

// tcpSocket is accepted in a lifecycle handler for compatibility, but the kubelet runs
// nothing for it and the hook fails as an invalid handler: it is left a handler of none.
HandlerSpec hook_handler(const manifest::Container& c, const manifest::LifecycleHandler& h) {
  HandlerSpec out;
  if (h.exec) out.exec = h.exec->command;
  if (h.http_get) {
    manifest::ProbeHandler as_probe;
    as_probe.http_get = h.http_get;
    out = probe_handler(c, as_probe);
    out.any_status = true;
  }
  if (h.sleep) out.sleep_seconds = h.sleep->seconds;
  return out;
}

int64_t pod_grace(const PodContext& pod) {
  return std::max(pod.pod.spec.termination_grace_period_seconds, kMinGracePeriodSeconds);
}

// What every probe and hook of the container knows of it.
ProbeSpec container_target(const PodContext& pod, const InfraSpec& infra, const ContainerPlan& plan,
                           const ContainerContext& c) {
  ProbeSpec s;
  s.pod = pod.qualified_name();
  s.pod_id = pod.pod_id;
  s.state_dir = pod.state_dir;
  s.container = c.c.name;
  s.container_unit = plan.unit.name;
  s.container_spec_path = plan.spec_path;
  s.network = infra.network;  // where IPAM has the pod's address
  s.termination_grace_period_seconds = pod_grace(pod);
  s.kill_signal = plan.unit.kill_signal;
  s.restart_policy = c.init ? c.c.restart_policy : pod.pod.spec.restart_policy;
  if (c.c.lifecycle && c.c.lifecycle->pre_stop) s.pre_stop = hook_handler(c.c, *c.c.lifecycle->pre_stop);
  return s;
}

ProbeSpec probe_spec(const PodContext& pod, const InfraSpec& infra, const ContainerPlan& plan,
                     const ContainerContext& c, const manifest::Probe& p, const std::string& kind) {
  ProbeSpec s = container_target(pod, infra, plan, c);
  s.kind = kind;
  s.handler = probe_handler(c.c, p.handler);
  s.initial_delay_seconds = p.initial_delay_seconds;
  s.timeout_seconds = std::max(p.timeout_seconds, 1);  // 0 is defaulted to 1 by Kubernetes
  s.period_seconds = std::max(p.period_seconds, 1);
  s.success_threshold = std::max(p.success_threshold, 1);
  s.failure_threshold = std::max(p.failure_threshold, 1);
  if (p.termination_grace_period_seconds)
    s.termination_grace_period_seconds =
        std::max(*p.termination_grace_period_seconds, kMinGracePeriodSeconds);
  if (kind == "readiness") s.pre_stop.reset();  // readiness never kills
  s.held_by_startup = kind != "startup" && c.c.startup_probe.has_value();
  return s;
}

ProbePlan probe_plan(const PodContext& pod, const InfraSpec& infra, const ContainerPlan& plan,
                     const ContainerContext& c, const manifest::Probe& p, const std::string& kind) {
  ProbePlan out;
  out.spec = probe_spec(pod, infra, plan, c, p, kind);
  out.spec_path = pod.spec_dir + "/probe-" + c.c.name + "-" + kind + ".json";
  const std::string what =
      fmt::format("podlet pod {} container {} {} probe", pod.qualified_name(), c.c.name, kind);

  UnitSpec& service = out.service;
  service.name = pod.units.probe(c.c.name, kind);
  service.description = what;
  service.slice = pod.units.slice;
  service.type = "oneshot";
  service.notify_access = "";
  service.exec_start = {pod.options.podlet_binary, "internal", "probe", "--spec", out.spec_path};
  // The pod's IP is in the IPAM of the podlet that played the pod (--root/--runroot).
  service.environment = {"PODLET_ROOT=" + pod.options.paths.root,
                         "PODLET_RUNROOT=" + pod.options.paths.runroot};
  service.timeout_start_usec =
      static_cast<uint64_t>(out.spec.timeout_seconds + out.spec.termination_grace_period_seconds +
                            kRunSlackSeconds) *
      kSecond;
  service.syslog_identifier = fmt::format("{}/{}/{}-probe", pod.name(), c.c.name, kind);
  // Not the container's journal field: `podlet logs` shows the container's output alone.
  service.log_extra_fields = {{kJournalFieldPod, pod.qualified_name()},
                              {kJournalFieldNamespace, pod.ns()},
                              {kJournalFieldPodName, pod.name()},
                              {"PODLET_PROBE", kind},
                              {"PODLET_PROBE_CONTAINER", c.c.name}};

  UnitSpec& timer = out.timer;
  timer.name = PodUnitNames::probe_timer(service.name);
  timer.description = what + " timer";
  timer.binds_to = {plan.unit.name};
  timer.after = {plan.unit.name};
  timer.on_active_usec =
      p.initial_delay_seconds > 0 ? static_cast<uint64_t>(p.initial_delay_seconds) * kSecond : kFirstRunUsec;
  timer.on_unit_active_usec = static_cast<uint64_t>(out.spec.period_seconds) * kSecond;
  timer.accuracy_usec = kTimerAccuracyUsec;
  return out;
}

}  // namespace

std::vector<ProbePlan> plan_probes(const PodContext& pod, const InfraSpec& infra, const ContainerPlan& plan,
                                   const ContainerContext& c) {
  std::vector<ProbePlan> out;
  // Run-to-completion init containers have no probes (validation refuses them).
  if (c.init && !c.c.is_sidecar()) return out;
  if (c.c.startup_probe) out.push_back(probe_plan(pod, infra, plan, c, *c.c.startup_probe, "startup"));
  if (c.c.liveness_probe) out.push_back(probe_plan(pod, infra, plan, c, *c.c.liveness_probe, "liveness"));
  if (c.c.readiness_probe) out.push_back(probe_plan(pod, infra, plan, c, *c.c.readiness_probe, "readiness"));
  return out;
}

std::vector<HookPlan> plan_hooks(const PodContext& pod, const InfraSpec& infra, ContainerPlan& plan,
                                 const ContainerContext& c) {
  std::vector<HookPlan> out;
  if (!c.c.lifecycle || (c.init && !c.c.is_sidecar())) return out;
  auto add = [&](const manifest::LifecycleHandler& h, const std::string& kind) {
    HookPlan hook;
    hook.spec = container_target(pod, infra, plan, c);
    hook.spec.kind = kind;
    hook.spec.handler = hook_handler(c.c, h);
    if (kind != "preStop") hook.spec.pre_stop.reset();
    hook.spec_path = pod.spec_dir + "/hook-" + c.c.name + "-" + kind + ".json";
    return hook;
  };
  if (c.c.lifecycle->post_start) {
    auto& hook = out.emplace_back(add(*c.c.lifecycle->post_start, "postStart"));
    hook.spec.timeout_seconds = kPostStartTimeoutSeconds;
    plan.unit.exec_start_post = {{pod.options.podlet_binary, "internal", "hook", "--spec", hook.spec_path}};
    plan.unit.timeout_start_usec =
        static_cast<uint64_t>(kPostStartTimeoutSeconds) * kSecond + kPostStartSlackUsec;
  }
  if (c.c.lifecycle->pre_stop) {
    auto& hook = out.emplace_back(add(*c.c.lifecycle->pre_stop, "preStop"));
    hook.spec.timeout_seconds = static_cast<int32_t>(hook.spec.termination_grace_period_seconds);
    plan.unit.timeout_stop_usec =
        static_cast<uint64_t>(hook.spec.termination_grace_period_seconds + kPreStopSlackSeconds) * kSecond;
    plan.unit.exec_stop = {{pod.options.podlet_binary, "internal", "hook", "--spec", hook.spec_path}};
  }
  // An httpGet hook finds the pod's IP in the IPAM of the podlet that played the pod.
  if (!out.empty())
    plan.unit.environment = {"PODLET_ROOT=" + pod.options.paths.root,
                             "PODLET_RUNROOT=" + pod.options.paths.runroot};
  return out;
}

}  // namespace podlet::plan::detail
