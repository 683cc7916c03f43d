// play/down orchestration against a recording fake of systemd's manager: the order
// units start in, what a failing init container does, how down escalates, and how
// unit states become a Kubernetes pod status. The real thing is tested in the
// throwaway systemd machine (tests/machine/e2e).
#include <csignal>
#include <map>

#include <gtest/gtest.h>

#include "base/error.h"
#include "cli/pod_start.h"
#include "cli/pod_status.h"
#include "cli/pod_stop.h"
#include "plan/planner.h"
#include "runtime/notify.h"

namespace podlet::cli {
namespace {

// An error type of the unit manager's with a field, to see it survive the context.
class JobError : public Error {
 public:
  JobError(std::string message, std::string result) : Error(std::move(message)), result(std::move(result)) {}
  std::string result;
};

class FakeUnits : public systemd::UnitManager {
 public:
  std::vector<std::string> calls;
  std::map<std::string, systemd::UnitStatus> units;
  std::string fail_start;  // start_transient of this unit throws
  bool stop_times_out = false;

  void start_transient(const plan::UnitSpec& spec, std::chrono::milliseconds) override {
    calls.push_back("start " + spec.name);
    if (spec.name == fail_start) throw JobError(spec.name + ": job failed (exit-code)", "failed");
    auto& st = units[spec.name];
    st.name = spec.name;
    st.active_state = "active";
    st.sub_state = spec.type == "oneshot" ? "exited" : "running";
  }
  void start_transient_with(const plan::UnitSpec& spec, const std::vector<plan::UnitSpec>& aux,
                            std::chrono::milliseconds timeout) override {
    for (const auto& a : aux) calls.push_back("aux " + a.name);
    start_transient(spec, timeout);
  }
  void start(const std::string& name, std::chrono::milliseconds) override {
    calls.push_back("start " + name);
  }
  void restart(const std::string& name, std::chrono::milliseconds) override {
    calls.push_back("restart " + name);
  }
  bool stop(const std::string& name, std::chrono::milliseconds timeout) override {
    calls.push_back("stop " + name);
    if (stop_times_out && timeout < std::chrono::seconds(10)) throw Error("stop: job did not finish");
    if (!units.count(name)) return false;
    for (auto& [n, st] : units) st.active_state = "inactive";
    return true;
  }
  void kill(const std::string& name, int signal, const std::string& who) override {
    calls.push_back("kill " + name + " " + std::to_string(signal) + " " + who);
  }
  bool reset_failed(const std::string& name) override {
    calls.push_back("reset-failed " + name);
    return units.erase(name) > 0;
  }
  std::optional<systemd::UnitStatus> status(const std::string& name) override {
    auto it = units.find(name);
    if (it == units.end()) return std::nullopt;
    return it->second;
  }
  std::vector<systemd::UnitInfo> list_units(const std::vector<std::string>&,
                                            const std::vector<std::string>&) override {
    return {};
  }
  void daemon_reload() override {}
};

manifest::Container container(const std::string& name) {
  manifest::Container c;
  c.name = name;
  c.image = "img";
  return c;
}

plan::PodPlan make_plan(const std::string& restart_policy = "Always") {
  manifest::Pod pod;
  pod.metadata.name = "web";
  pod.metadata.uid = "uid-1";
  pod.source.pod_spec_path = "spec";
  pod.spec.restart_policy = restart_policy;
  pod.spec.init_containers = {container("init1"), container("init2")};
  pod.spec.containers = {container("a"), container("b")};
  plan::ImageData img;
  img.cmd = {"sh"};
  return plan::plan_pod(pod, {}, {{"img", img}}, plan::PlanOptions{});
}

std::vector<std::string> starts(const FakeUnits& f) {
  std::vector<std::string> out;
  for (const auto& c : f.calls)
    if (c.starts_with("start ")) out.push_back(c.substr(6));
  return out;
}

TEST(PodStart, StartsSliceInfraInitsThenApps) {
  FakeUnits units;
  auto plan = make_plan();
  start_pod(units, plan, {});
  EXPECT_EQ(starts(units),
            (std::vector<std::string>{"podlet-default_web.slice", "podlet-default_web-infra.service",
                                      "podlet-default_web_init1.service", "podlet-default_web_init2.service",
                                      "podlet-default_web_a.service", "podlet-default_web_b.service"}));
}

TEST(PodStart, FailingInitContainerStopsTheStartAndCarriesItsLog) {
  FakeUnits units;
  units.fail_start = "podlet-default_web_init2.service";
  auto plan = make_plan();
  StartHooks hooks;
  hooks.log_tail = [](const plan::PodPlan&, const std::string& c) { return "  " + c + ": no such file"; };
  try {
    start_pod(units, plan, hooks);
    FAIL() << "expected the start to fail";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("pod default/web: container init2"), std::string::npos) << m;
    EXPECT_NE(m.find("init2: no such file"), std::string::npos) << m;
  }
  // Nothing after the failing init container was started.
  EXPECT_EQ(starts(units).back(), "podlet-default_web_init2.service");
}

TEST(PodStart, AFailingSliceKeepsTheErrorsTypeUnderThePodContext) {
  FakeUnits units;
  units.fail_start = "podlet-default_web.slice";
  auto plan = make_plan();
  try {
    start_pod(units, plan, {});
    FAIL() << "expected the start to fail";
  } catch (const JobError& e) {
    EXPECT_STREQ(e.what(), "pod default/web: podlet-default_web.slice: job failed (exit-code)");
    EXPECT_EQ(e.result, "failed");
  }
}

// A workload that exits before systemd processed READY=1 fails the start job. For a
// container that is not restarted that is its run to completion (the unit keeps
// its status); a setup failure (no handover STATUS) or a restarted container still
// fails the start.
TEST(PodStart, WorkloadThatEndedBeforeReadyIsARunToCompletionWhenNotRestarted) {
  auto failed_unit = [](const std::string& name, const std::string& status_text) {
    systemd::UnitStatus st;
    st.name = name;
    st.active_state = "failed";
    st.result = "exit-code";
    st.exec_main_code = 1;  // CLD_EXITED
    st.exec_main_status = 3;
    st.status_text = status_text;
    return st;
  };
  const std::string a = "podlet-default_web_a.service";

  FakeUnits units;
  units.fail_start = a;
  units.units[a] = failed_unit(a, runtime::kWorkloadIsMainStatus);
  auto plan = make_plan("Never");
  start_pod(units, plan, {});
  EXPECT_EQ(starts(units).back(), "podlet-default_web_b.service");
  auto st = pod_status(plan, units, "");
  ASSERT_EQ(st.containers.size(), 4u);
  EXPECT_EQ(st.containers[2].state, "terminated");
  EXPECT_EQ(st.containers[2].exit_code, 3);

  FakeUnits setup_failed;
  setup_failed.fail_start = a;
  setup_failed.units[a] = failed_unit(a, "");
  auto plan2 = make_plan("Never");
  EXPECT_THROW(start_pod(setup_failed, plan2, {}), Error);

  FakeUnits restarted;
  restarted.fail_start = a;
  restarted.units[a] = failed_unit(a, runtime::kWorkloadIsMainStatus);
  auto plan3 = make_plan("Always");
  EXPECT_THROW(start_pod(restarted, plan3, {}), Error);
}

TEST(PodStart, PodIpHookRunsAfterTheInfraWhenNeeded) {
  FakeUnits units;
  auto plan = make_plan();
  plan.needs_pod_ip = true;
  size_t starts_at_hook = 0;
  StartHooks hooks;
  hooks.complete_with_pod_ip = [&](plan::PodPlan&) { starts_at_hook = starts(units).size(); };
  start_pod(units, plan, hooks);
  EXPECT_EQ(starts_at_hook, 2u);  // slice and infra
}

TEST(PodStop, StopsTheSliceAndResetsEveryUnit) {
  FakeUnits units;
  auto plan = make_plan();
  start_pod(units, plan, {});
  auto pod = pod_units(units, "default", "web", &plan);
  EXPECT_TRUE(stop_units(units, pod, {}));
  EXPECT_EQ(units.calls[6], "stop podlet-default_web.slice");
  for (const auto& u : plan.unit_names())
    EXPECT_NE(std::find(units.calls.begin(), units.calls.end(), "reset-failed " + u), units.calls.end()) << u;
  EXPECT_TRUE(units.units.empty());
  // Idempotent: nothing loaded any more.
  EXPECT_FALSE(stop_units(units, pod, {}));
}

TEST(PodStop, ForceKillsBeforeStopping) {
  FakeUnits units;
  auto plan = make_plan();
  start_pod(units, plan, {});
  units.calls.clear();
  stop_units(units, pod_units(units, "default", "web", &plan), StopOptions{.force = true});
  EXPECT_EQ(units.calls[0], "kill podlet-default_web-infra.service " + std::to_string(SIGKILL) + " all");
  auto stop = std::find(units.calls.begin(), units.calls.end(), "stop podlet-default_web.slice");
  ASSERT_NE(stop, units.calls.end());
  for (auto it = units.calls.begin(); it != stop; ++it) EXPECT_TRUE(it->starts_with("kill ")) << *it;
}

TEST(PodStop, GracePeriodOverEscalatesToSigkill) {
  FakeUnits units;
  auto plan = make_plan();
  start_pod(units, plan, {});
  units.calls.clear();
  units.stop_times_out = true;
  stop_units(units, pod_units(units, "default", "web", &plan), StopOptions{.grace_seconds = 1});
  ASSERT_GE(units.calls.size(), 3u);
  EXPECT_EQ(units.calls[0], "stop podlet-default_web.slice");  // with the short grace timeout
  EXPECT_TRUE(units.calls[1].starts_with("kill "));
  EXPECT_NE(std::find(units.calls.begin() + 1, units.calls.end(), "stop podlet-default_web.slice"),
            units.calls.end());
}

systemd::UnitStatus unit(const std::string& active, const std::string& sub, int code = 0, int status = 0,
                         uint32_t restarts = 0) {
  systemd::UnitStatus s;
  s.active_state = active;
  s.sub_state = sub;
  s.exec_main_code = code;
  s.exec_main_status = status;
  s.n_restarts = restarts;
  return s;
}

TEST(PodStatus, PhasesAndContainerStates) {
  FakeUnits units;
  auto plan = make_plan("Never");
  const auto& infra = plan.infra_unit.name;
  auto name = [&](int i) { return plan.containers[i].unit.name; };
  EXPECT_EQ(pod_status(plan, units, "").phase, "Unknown");

  units.units[infra] = unit("active", "running");
  units.units[name(0)] = unit("active", "exited", CLD_EXITED, 0);
  units.units[name(1)] = unit("activating", "start");
  auto st = pod_status(plan, units, "10.90.0.2");
  EXPECT_EQ(st.phase, "Pending");
  EXPECT_EQ(st.containers[1].state, "running");  // an init container at work

  units.units[name(1)] = unit("active", "exited", CLD_EXITED, 0);
  units.units[name(2)] = unit("active", "running");
  units.units[name(3)] = unit("activating", "auto-restart", CLD_EXITED, 1, 3);
  st = pod_status(plan, units, "10.90.0.2");
  EXPECT_EQ(st.phase, "Running");
  EXPECT_EQ(st.ready_count(), 1);
  EXPECT_EQ(st.restarts(), 3u);
  EXPECT_EQ(st.containers[3].reason, "CrashLoopBackOff");

  units.units[name(2)] = unit("active", "exited", CLD_EXITED, 0);
  units.units[name(3)] = unit("failed", "failed", CLD_KILLED, SIGKILL);
  st = pod_status(plan, units, "");
  EXPECT_TRUE(st.finished());
  EXPECT_EQ(st.phase, "Failed");
  EXPECT_EQ(st.exit_code(), 128 + SIGKILL);

  units.units[name(3)] = unit("active", "exited", CLD_EXITED, 0);
  EXPECT_EQ(pod_status(plan, units, "").phase, "Succeeded");
  EXPECT_EQ(pod_status(plan, units, "").exit_code(), 0);

  units.units[name(2)] = unit("active", "running");
  units.units[infra] = unit("failed", "failed", CLD_KILLED, SIGKILL);
  EXPECT_EQ(pod_status(plan, units, "").phase, "Failed");  // the infra is gone
}

TEST(PodStatus, KubernetesShape) {
  FakeUnits units;
  auto plan = make_plan();
  units.units[plan.infra_unit.name] = unit("active", "running");
  units.units[plan.containers[2].unit.name] = unit("active", "running", 0, 0, 2);
  auto j = kubernetes_pod(plan, pod_status(plan, units, "10.90.0.9"));
  EXPECT_EQ(j["kind"], "Pod");
  EXPECT_EQ(j["metadata"]["namespace"], "default");
  EXPECT_EQ(j["status"]["podIP"], "10.90.0.9");
  EXPECT_EQ(j["status"]["initContainerStatuses"].size(), 2u);
  ASSERT_EQ(j["status"]["containerStatuses"].size(), 2u);
  const auto& a = j["status"]["containerStatuses"][0];
  EXPECT_EQ(a["name"], "a");
  EXPECT_EQ(a["ready"], true);
  EXPECT_EQ(a["restartCount"], 2);
  EXPECT_TRUE(a["state"].contains("running"));
  EXPECT_TRUE(j["status"]["containerStatuses"][1]["state"].contains("waiting"));
}

}  // namespace
}  // namespace podlet::cli
