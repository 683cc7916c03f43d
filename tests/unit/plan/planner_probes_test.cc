// A container's probes: spec (handler, ports by name, timing, kill rules) and the
// timer and service that run it; its lifecycle hooks: specs and the unit's commands.
#include <gtest/gtest.h>

#include "planner_test_support.h"

namespace podlet::plan {
namespace {

PodPlan plan(const manifest::Pod& p) {
  return plan_pod(p, {}, testing::images(), testing::options());
}

manifest::Probe http_probe(const std::string& port_name) {
  manifest::Probe p;
  p.handler.http_get.emplace();
  p.handler.http_get->port.is_int = false;
  p.handler.http_get->port.str_value = port_name;
  p.handler.http_get->path = "/healthz";
  p.handler.http_get->http_headers = {{"X-Probe", "1"}};
  return p;
}

TEST(PlannerProbes, EachProbeGetsASpecATimerAndAService) {
  auto p = testing::pod("prod", "web");
  auto& c = p.spec.containers[0];
  c.ports.push_back({.name = "http", .container_port = 8080});
  c.readiness_probe = http_probe("http");
  c.readiness_probe->period_seconds = 3;
  c.liveness_probe.emplace();
  c.liveness_probe->handler.exec.emplace().command = {"cat", "/tmp/healthy"};
  c.liveness_probe->initial_delay_seconds = 7;
  c.liveness_probe->termination_grace_period_seconds = 5;
  p.spec.termination_grace_period_seconds = 60;
  auto pl = plan(p);
  const auto& cp = pl.containers[0];
  ASSERT_EQ(cp.probes.size(), 2u);
  const auto& live = cp.probes[0];
  const auto& ready = cp.probes[1];
  EXPECT_EQ(live.spec.kind, "liveness");
  EXPECT_EQ(live.spec.handler.exec, (std::vector<std::string>{"cat", "/tmp/healthy"}));
  EXPECT_EQ(live.spec.termination_grace_period_seconds, 5) << "the probe's own grace period";
  EXPECT_EQ(live.spec.container_unit, cp.unit.name);
  EXPECT_EQ(live.spec.container_spec_path, cp.spec_path);
  EXPECT_EQ(live.spec.restart_policy, "Always");
  EXPECT_FALSE(live.spec.held_by_startup);
  EXPECT_EQ(ready.spec.kind, "readiness");
  EXPECT_TRUE(ready.spec.handler.http_get);
  EXPECT_EQ(ready.spec.handler.port, 8080) << "the port name resolved";
  EXPECT_EQ(ready.spec.handler.path, "/healthz");
  EXPECT_EQ(ready.spec.handler.headers.at(0).name, "X-Probe");
  EXPECT_EQ(ready.spec.termination_grace_period_seconds, 60) << "the pod's";

  EXPECT_EQ(live.service.name, "podlet-prod_web_app_liveness-probe.service");
  EXPECT_EQ(live.timer.name, "podlet-prod_web_app_liveness-probe.timer");
  EXPECT_EQ(live.service.type, "oneshot");
  EXPECT_EQ(live.service.slice, pl.slice.name);
  EXPECT_EQ(live.service.exec_start,
            (std::vector<std::string>{"/usr/bin/podlet", "internal", "probe", "--spec", live.spec_path}));
  EXPECT_TRUE(live.service.binds_to.empty()) << "a liveness kill must not stop the probe killing";
  EXPECT_FALSE(live.service.log_extra_fields.contains("PODLET_CONTAINER")) << "not in the container's logs";
  EXPECT_EQ(live.timer.binds_to, std::vector<std::string>{cp.unit.name});
  EXPECT_EQ(live.timer.after, std::vector<std::string>{cp.unit.name});
  EXPECT_EQ(live.timer.on_active_usec, 7000000u);
  EXPECT_EQ(live.timer.on_unit_active_usec, 10000000u);
  EXPECT_EQ(ready.timer.on_unit_active_usec, 3000000u);
  EXPECT_EQ(ready.timer.on_active_usec, 1000u) << "no initial delay: at once";
  // Unit files: the container pulls in its timers; play starts them after it.
  EXPECT_EQ(cp.unit.file_wants, (std::vector<std::string>{live.timer.name, ready.timer.name}));
  // Every unit of the pod, in order: container, then its probes' timers and services.
  auto names = pl.unit_names();
  auto at = std::find(names.begin(), names.end(), cp.unit.name);
  ASSERT_NE(at, names.end());
  EXPECT_EQ(*(at + 1), live.timer.name);
  EXPECT_EQ(*(at + 2), live.service.name);
}

TEST(PlannerProbes, AStartupProbeHoldsTheOthersAndUnknownPortNamesStayNamed) {
  auto p = testing::pod("prod", "web");
  p.spec.restart_policy = "OnFailure";
  auto& c = p.spec.containers[0];
  c.startup_probe = http_probe("missing");
  c.readiness_probe.emplace();
  c.readiness_probe->handler.tcp_socket.emplace().port = {true, 9000, ""};
  c.lifecycle.emplace().stop_signal = "SIGINT";
  auto probes = plan(p).containers[0].probes;
  ASSERT_EQ(probes.size(), 2u);
  EXPECT_EQ(probes[0].spec.kind, "startup");
  EXPECT_FALSE(probes[0].spec.held_by_startup);
  EXPECT_EQ(probes[0].spec.handler.port, 0);
  EXPECT_EQ(probes[0].spec.handler.port_name, "missing") << "a failed check says so";
  EXPECT_EQ(probes[0].spec.restart_policy, "OnFailure");
  EXPECT_EQ(probes[0].spec.kill_signal, "SIGINT");
  EXPECT_TRUE(probes[1].spec.held_by_startup);
  EXPECT_TRUE(probes[1].spec.handler.tcp_socket);
  EXPECT_EQ(probes[1].spec.handler.port, 9000);
}

TEST(PlannerProbes, SidecarsAreProbedRunToCompletionInitContainersNot) {
  auto p = testing::pod("prod", "web");
  p.spec.init_containers.push_back(testing::container("proxy"));
  p.spec.init_containers.back().restart_policy = "Always";
  p.spec.init_containers.back().readiness_probe = http_probe("x");
  auto pl = plan(p);
  ASSERT_EQ(pl.containers[0].probes.size(), 1u);
  EXPECT_EQ(pl.containers[0].probes[0].spec.restart_policy, "Always");
}

TEST(PlannerHooks, PostStartIsExecStartPostAndPreStopIsExecStop) {
  auto p = testing::pod("prod", "web");
  auto& c = p.spec.containers[0];
  c.ports.push_back({.name = "http", .container_port = 8080});
  c.lifecycle.emplace();
  c.lifecycle->post_start.emplace().exec.emplace().command = {"touch", "/tmp/started"};
  c.lifecycle->pre_stop.emplace().http_get.emplace();
  c.lifecycle->pre_stop->http_get->port.is_int = false;
  c.lifecycle->pre_stop->http_get->port.str_value = "http";
  c.lifecycle->pre_stop->http_get->path = "/drain";
  c.lifecycle->stop_signal = "SIGQUIT";
  p.spec.termination_grace_period_seconds = 20;
  auto pl = plan(p);
  const auto& cp = pl.containers[0];
  ASSERT_EQ(cp.hooks.size(), 2u);
  const auto& post = cp.hooks[0];
  const auto& pre = cp.hooks[1];
  EXPECT_EQ(post.spec.kind, "postStart");
  EXPECT_EQ(post.spec.handler.exec, (std::vector<std::string>{"touch", "/tmp/started"}));
  EXPECT_FALSE(post.spec.pre_stop) << "only the preStop hook and kills run preStop";
  EXPECT_EQ(pre.spec.kind, "preStop");
  EXPECT_TRUE(pre.spec.handler.http_get);
  EXPECT_TRUE(pre.spec.handler.any_status) << "a hook's httpGet succeeds with any answer";
  EXPECT_EQ(pre.spec.handler.port, 8080);
  ASSERT_TRUE(pre.spec.pre_stop);
  EXPECT_EQ(pre.spec.pre_stop->path, "/drain");
  EXPECT_EQ(pre.spec.termination_grace_period_seconds, 20);
  EXPECT_EQ(pre.spec.timeout_seconds, 20) << "preStop runs within the grace period";
  EXPECT_EQ(pre.spec.kill_signal, "SIGQUIT");
  EXPECT_EQ(pre.spec.container_unit, cp.unit.name);

  EXPECT_EQ(cp.unit.exec_start_post, (std::vector<std::vector<std::string>>{
                                         {"/usr/bin/podlet", "internal", "hook", "--spec", post.spec_path}}));
  EXPECT_EQ(cp.unit.exec_stop, (std::vector<std::vector<std::string>>{
                                   {"/usr/bin/podlet", "internal", "hook", "--spec", pre.spec_path}}));
  ASSERT_TRUE(cp.unit.timeout_start_usec);
  EXPECT_GT(*cp.unit.timeout_start_usec, static_cast<uint64_t>(post.spec.timeout_seconds) * 1000000)
      << "the hook gives up before systemd does";
  EXPECT_NE(post.spec_path, pre.spec_path);
  EXPECT_EQ(cp.unit.timeout_stop_usec, 27u * 1000000)
      << "ExecStop= may take the grace period, the kubelet's 2 s after preStop, and 5 s for SIGKILL";
}

TEST(PlannerHooks, LivenessKillsRunPreStopReadinessNeverKills) {
  auto p = testing::pod("prod", "web");
  auto& c = p.spec.containers[0];
  c.lifecycle.emplace();
  c.lifecycle->pre_stop.emplace().sleep.emplace().seconds = 3;
  c.liveness_probe = http_probe("x");
  c.readiness_probe = http_probe("x");
  auto pl = plan(p);
  const auto& probes = pl.containers[0].probes;
  ASSERT_EQ(probes.size(), 2u);
  ASSERT_TRUE(probes[0].spec.pre_stop);
  EXPECT_EQ(probes[0].spec.pre_stop->sleep_seconds, 3);
  EXPECT_FALSE(probes[1].spec.pre_stop);
  EXPECT_TRUE(pl.containers[0].unit.exec_start_post.empty());
}

TEST(PlannerHooks, ATcpSocketHookIsAHandlerOfNone) {
  auto p = testing::pod("prod", "web");
  auto& c = p.spec.containers[0];
  c.lifecycle.emplace();
  c.lifecycle->post_start.emplace().tcp_socket.emplace().port.int_value = 80;
  auto pl = plan(p);
  const auto& h = pl.containers[0].hooks.at(0).spec.handler;
  EXPECT_FALSE(h.tcp_socket || h.http_get || h.grpc || h.sleep_seconds || !h.exec.empty())
      << "the kubelet runs nothing for it: the hook fails as an invalid handler";
}

}  // namespace
}  // namespace podlet::plan
