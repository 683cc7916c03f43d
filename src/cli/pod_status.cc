#include "cli/pod_status.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <ctime>

#include <fmt/core.h>

#include "probe/probe_state.h"

namespace podlet::cli {

namespace {

void terminated(ContainerState& c, const systemd::UnitStatus& st) {
  c.state = "terminated";
  c.exit_code = st.exit_code();
  c.reason = c.exit_code == 0 ? "Completed" : st.result == "start-limit-hit" ? "CrashLoopBackOff" : "Error";
  c.finished_usec =
      st.exec_main_exit_timestamp_usec ? st.exec_main_exit_timestamp_usec : st.inactive_enter_timestamp_usec;
}

// What the container's probes established about its current run, and the restarts
// they made (systemd's NRestarts starts over when podlet restarts a unit).
void apply_probes(const plan::ContainerPlan& plan, const std::string& state_dir,
                  const systemd::UnitStatus& st, ContainerState& c) {
  if (auto r = probe::read_restarts(probe::restarts_path(state_dir, plan.name))) {
    c.restart_count += r->count;
    c.last_reason = r->reason;
    c.last_message = r->message;
    c.last_exit_code = r->exit_code;
    c.last_started_usec = r->started_usec;
    c.last_finished_usec = r->finished_usec;
  }
  if (c.state != "running" || c.reason == "Terminating") {
    c.ready = c.started = false;
    return;
  }
  const std::string run = probe::container_run(st.main_pid, st.exec_main_start_timestamp_usec);
  auto result_of = [&](const std::string& kind) {
    auto s = probe::read_state(probe::state_path(state_dir, plan.name, kind));
    return s && s->run == run ? s->result : probe::initial_state(kind, run).result;
  };
  auto has = [&](const std::string& kind) {
    return std::any_of(plan.probes.begin(), plan.probes.end(),
                       [&](const auto& p) { return p.spec.kind == kind; });
  };
  c.started = !has("startup") || result_of("startup") == "success";
  c.ready = c.started && (!has("readiness") || result_of("readiness") == "success");
}

ContainerState container_state(const plan::ContainerPlan& plan,
                               const std::optional<systemd::UnitStatus>& st) {
  ContainerState c;
  c.name = plan.name;
  c.unit = plan.unit.name;
  c.init = plan.init;
  c.sidecar = plan.sidecar;
  if (!st) {
    c.reason = "NotStarted";
    return c;
  }
  c.active_state = st->active_state;
  c.sub_state = st->sub_state;
  c.restart_count = st->n_restarts;
  c.started_usec = st->active_enter_timestamp_usec;
  const auto& a = st->active_state;
  const auto& s = st->sub_state;
  if (a == "active" && s == "exited") {
    terminated(c, *st);
  } else if (a == "active" || a == "reloading") {
    c.state = "running";
  } else if (a == "activating" && s == "auto-restart") {
    c.reason = "CrashLoopBackOff";
  } else if (a == "activating") {
    // A oneshot init container is "activating" for as long as it runs.
    if (plan.init && !plan.sidecar && s == "start") {
      c.state = "running";
    } else {
      c.reason = "ContainerCreating";
    }
  } else if (a == "deactivating") {
    c.state = "running";
    c.reason = "Terminating";
  } else {
    terminated(c, *st);  // inactive or failed
  }
  return c;
}

}  // namespace

int PodStatus::ready_count() const {
  int n = 0;
  for (const auto& c : containers)
    if (!c.init && c.ready) ++n;
  return n;
}

int PodStatus::app_count() const {
  int n = 0;
  for (const auto& c : containers)
    if (!c.init) ++n;
  return n;
}

uint32_t PodStatus::restarts() const {
  uint32_t n = 0;
  for (const auto& c : containers) n += c.restart_count;
  return n;
}

bool PodStatus::finished() const {
  for (const auto& c : containers)
    if (!c.init && c.state != "terminated") return false;
  return true;
}

int PodStatus::exit_code() const {
  for (const auto& c : containers)
    if (!c.init && c.state == "terminated" && c.exit_code != 0) return c.exit_code;
  return 0;
}

PodStatus pod_status(const plan::PodPlan& plan, systemd::UnitManager& units, const std::string& pod_ip) {
  PodStatus out;
  out.pod_ip = pod_ip;
  auto infra = units.status(plan.infra_unit.name);
  if (infra) {
    out.infra_state = infra->active_state;
    out.start_usec = infra->active_enter_timestamp_usec;
  }
  for (const auto& c : plan.containers) {
    auto st = units.status(c.unit.name);
    out.containers.push_back(container_state(c, st));
    if (st) apply_probes(c, plan.state_dir, *st, out.containers.back());
  }

  bool any_loaded = infra.has_value();
  bool inits_done = true, all_ok = true;
  for (const auto& c : out.containers) {
    if (!c.active_state.empty()) any_loaded = true;
    if (c.init && !c.sidecar && !(c.state == "terminated" && c.exit_code == 0)) inits_done = false;
    if (!c.init && c.state == "terminated" && c.exit_code != 0) all_ok = false;
  }
  if (!any_loaded) {
    out.phase = "Unknown";  // systemd has none of its units: stopped outside podlet
  } else if (out.finished()) {
    out.phase = all_ok ? "Succeeded" : "Failed";
  } else if (!infra || !infra->is_active()) {
    out.phase = "Failed";
  } else {
    out.phase = inits_done ? "Running" : "Pending";
  }
  return out;
}

std::string rfc3339(uint64_t realtime_usec) {
  std::time_t t = static_cast<std::time_t>(realtime_usec / 1000000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

nlohmann::json container_status_json(const plan::ContainerPlan& plan, const ContainerState& c) {
  nlohmann::json state;
  if (c.state == "running") {
    state["running"] = {{"startedAt", rfc3339(c.started_usec)}};
  } else if (c.state == "terminated") {
    state["terminated"] = {{"exitCode", c.exit_code}, {"reason", c.reason}};
    if (c.started_usec) state["terminated"]["startedAt"] = rfc3339(c.started_usec);
    if (c.finished_usec) state["terminated"]["finishedAt"] = rfc3339(c.finished_usec);
  } else {
    state["waiting"] = {{"reason", c.reason}};
  }
  nlohmann::json last = nlohmann::json::object();
  if (!c.last_reason.empty()) {
    last["terminated"] = {
        {"exitCode", c.last_exit_code}, {"reason", c.last_reason}, {"message", c.last_message}};
    if (c.last_started_usec) last["terminated"]["startedAt"] = rfc3339(c.last_started_usec);
    if (c.last_finished_usec) last["terminated"]["finishedAt"] = rfc3339(c.last_finished_usec);
  }
  return {{"name", c.name},
          {"ready", c.ready},
          {"started", c.started},
          {"restartCount", c.restart_count},
          {"image", plan.image},
          {"imageID", plan.spec.root.lower_dirs.empty() ? "" : plan.spec.root.lower_dirs.front()},
          {"state", state},
          {"lastState", last}};
}

nlohmann::json condition(const char* type, bool status) {
  return {{"type", type}, {"status", status ? "True" : "False"}};
}

// Kubernetes' pod conditions: Ready and ContainersReady when every app container is
// ready (a pod that ran to completion is not), Initialized once the init containers did.
nlohmann::json pod_conditions(const PodStatus& status) {
  bool initialized = true;
  for (const auto& c : status.containers)
    if (c.init && !c.sidecar && !(c.state == "terminated" && c.exit_code == 0)) initialized = false;
  bool ready = status.phase == "Running" && status.ready_count() == status.app_count();
  return nlohmann::json::array({condition("PodScheduled", true), condition("Initialized", initialized),
                                condition("ContainersReady", ready), condition("Ready", ready)});
}

}  // namespace

nlohmann::json kubernetes_pod(const plan::PodPlan& plan, const PodStatus& status) {
  nlohmann::json init = nlohmann::json::array(), apps = nlohmann::json::array();
  for (size_t i = 0; i < plan.containers.size() && i < status.containers.size(); ++i)
    (plan.containers[i].init ? init : apps)
        .push_back(container_status_json(plan.containers[i], status.containers[i]));
  nlohmann::json st = {
      {"phase", status.phase},         {"podIP", status.pod_ip},    {"podIPs", nlohmann::json::array()},
      {"initContainerStatuses", init}, {"containerStatuses", apps}, {"conditions", pod_conditions(status)}};
  if (!status.pod_ip.empty()) st["podIPs"].push_back({{"ip", status.pod_ip}});
  if (status.start_usec) st["startTime"] = rfc3339(status.start_usec);
  nlohmann::json meta = {{"name", plan.name},
                         {"namespace", plan.ns},
                         {"uid", plan.uid},
                         {"labels", plan.labels},
                         {"annotations", plan.annotations}};
  return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}, {"status", st}};
}

}  // namespace podlet::cli
