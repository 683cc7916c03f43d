// The unit graph: slice, infra, init/sidecar/app containers and their properties.
#include <gtest/gtest.h>

#include "planner_test_support.h"

namespace podlet::plan {
namespace {

PodPlan plan(const manifest::Pod& p) {
  return plan_pod(p, {}, testing::images(), testing::options());
}

manifest::Pod three_container_pod() {
  auto p = testing::pod("default", "my-web");
  p.spec.containers.push_back(testing::container("sidecar"));
  p.spec.init_containers.push_back(testing::container("migrate"));
  p.spec.init_containers.push_back(testing::container("proxy"));
  p.spec.init_containers.back().restart_policy = "Always";
  p.spec.init_containers.push_back(testing::container("warm"));
  return p;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(PlannerUnits, SliceAndInfra) {
  auto pl = plan(testing::pod("team-a", "my-web"));
  EXPECT_EQ(pl.slice.name, "podlet-team\\x2da_my\\x2dweb.slice");
  EXPECT_TRUE(pl.slice.is_slice());
  EXPECT_EQ(pl.infra_unit.name, "podlet-team-a_my-web-infra.service");
  EXPECT_EQ(pl.infra_unit.slice, pl.slice.name);
  EXPECT_EQ(pl.infra_unit.type, "notify");
  EXPECT_EQ(pl.infra_unit.exec_start,
            (std::vector<std::string>{"/usr/bin/podlet", "internal", "infra", "--spec",
                                      "/run/podlet/pods/team-a_my-web/infra.json"}));
  ASSERT_EQ(pl.infra_unit.exec_stop_post.size(), 1u);
  EXPECT_EQ(pl.infra_unit.exec_stop_post[0][2], "infra-cleanup");
  EXPECT_EQ(pl.infra_unit.restart, "no");
  EXPECT_EQ(pl.infra_spec_path, "/run/podlet/pods/team-a_my-web/infra.json");
  EXPECT_EQ(pl.infra.pid_file, "/run/podlet/pods/team-a_my-web/infra.pid");
  EXPECT_EQ(pl.infra.hostname, "my-web");
  EXPECT_EQ(pl.infra.network.pod_uid, pl.uid);
}

TEST(PlannerUnits, InfraFindsTheStoresOfThePodletThatPlayedIt) {
  auto o = testing::options();
  o.paths.root = "/srv/podlet";
  o.paths.runroot = "/run/podlet-alt";
  auto pl = plan_pod(testing::pod("default", "web"), {}, testing::images(), o);
  EXPECT_EQ(pl.infra_unit.environment,
            (std::vector<std::string>{"PODLET_ROOT=/srv/podlet", "PODLET_RUNROOT=/run/podlet-alt"}));
  // The workload's environment never goes into unit properties.
  for (const auto& c : pl.containers) EXPECT_TRUE(c.unit.environment.empty()) << c.name;
}

TEST(PlannerUnits, InitContainersRunInOrderThenApps) {
  auto pl = plan(three_container_pod());
  ASSERT_EQ(pl.containers.size(), 5u);
  const auto& migrate = pl.containers[0];
  const auto& proxy = pl.containers[1];
  const auto& warm = pl.containers[2];
  const auto& app = pl.containers[3];
  EXPECT_TRUE(migrate.init);
  EXPECT_FALSE(migrate.sidecar);
  EXPECT_EQ(migrate.unit.type, "oneshot");
  EXPECT_TRUE(migrate.unit.remain_after_exit);
  EXPECT_EQ(migrate.unit.restart, "no");
  EXPECT_TRUE(proxy.sidecar);
  EXPECT_EQ(proxy.unit.type, "notify");
  EXPECT_EQ(proxy.unit.restart, "always");
  EXPECT_TRUE(contains(proxy.unit.after, migrate.unit.name));
  EXPECT_TRUE(contains(warm.unit.after, proxy.unit.name));
  EXPECT_FALSE(app.init);
  EXPECT_TRUE(contains(app.unit.after, warm.unit.name));
  EXPECT_TRUE(contains(pl.containers[4].unit.after, warm.unit.name));
  for (const auto& c : pl.containers) {
    EXPECT_EQ(c.unit.binds_to, std::vector<std::string>{pl.infra_unit.name}) << c.name;
    EXPECT_TRUE(contains(c.unit.after, pl.infra_unit.name)) << c.name;
    EXPECT_EQ(c.unit.slice, pl.slice.name);
    EXPECT_EQ(c.unit.name, "podlet-default_my-web_" + c.name + ".service");
    EXPECT_EQ(c.unit.exec_start.back(), "/run/podlet/pods/default_my-web/container-" + c.name + ".json");
    EXPECT_EQ(c.spec_path, c.unit.exec_start.back());
  }
  EXPECT_EQ(pl.unit_names().size(), 7u);
}

// Unit files start the pod from its infra; transient units get no part of that wiring.
TEST(PlannerUnits, UnitFilesStartThePodFromItsInfra) {
  auto pl = plan(three_container_pod());
  ASSERT_EQ(pl.containers.size(), 5u);
  std::vector<std::string> containers;
  for (const auto& c : pl.containers) containers.push_back(c.unit.name);
  EXPECT_EQ(pl.infra_unit.file_wants, containers);
  EXPECT_EQ(pl.infra_unit.wanted_by, std::vector<std::string>{"multi-user.target"});
  EXPECT_TRUE(pl.infra_unit.wants.empty());
  EXPECT_TRUE(pl.slice.wanted_by.empty());
  EXPECT_TRUE(pl.slice.file_wants.empty());
  // migrate, proxy (sidecar), warm, app, sidecar: each after migrate requires the
  // last run-to-completion init before it; a sidecar is never required.
  const std::string migrate = pl.containers[0].unit.name, warm = pl.containers[2].unit.name;
  std::vector<std::vector<std::string>> requires_units = {{}, {migrate}, {migrate}, {warm}, {warm}};
  for (size_t i = 0; i < pl.containers.size(); ++i) {
    const auto& u = pl.containers[i].unit;
    SCOPED_TRACE(u.name);
    EXPECT_EQ(u.file_requires, requires_units[i]);
    EXPECT_TRUE(u.requires_units.empty());
    EXPECT_TRUE(u.file_wants.empty());
    EXPECT_TRUE(u.wanted_by.empty());
  }
}

TEST(PlannerUnits, RestartPolicyMapsToRestart) {
  auto p = testing::pod("default", "web");
  for (auto [policy, restart] : std::vector<std::pair<std::string, std::string>>{
           {"Always", "always"}, {"OnFailure", "on-failure"}, {"Never", "no"}}) {
    p.spec.restart_policy = policy;
    auto u = plan(p).containers[0].unit;
    EXPECT_EQ(u.restart, restart) << policy;
    EXPECT_EQ(u.start_limit_burst.has_value(), restart != "no") << policy;
    EXPECT_EQ(u.remain_after_exit, restart != "always") << policy;
    if (restart != "no") {
      EXPECT_EQ(u.restart_usec, 1000000u);
      EXPECT_EQ(u.start_limit_interval_usec, 120000000u);
    }
  }
}

TEST(PlannerUnits, GracePeriodSignalAndJournalFields) {
  auto p = testing::pod("prod", "web");
  p.spec.termination_grace_period_seconds = 45;
  p.spec.containers[0].lifecycle.emplace().stop_signal = "SIGQUIT";
  auto u = plan(p).containers[0].unit;
  EXPECT_EQ(u.timeout_stop_usec, 45000000u);
  EXPECT_EQ(u.kill_mode, "control-group");
  EXPECT_EQ(u.kill_signal, "SIGQUIT");
  EXPECT_EQ(u.log_extra_fields.at("PODLET_POD"), "prod/web");
  EXPECT_EQ(u.log_extra_fields.at("PODLET_NAMESPACE"), "prod");
  EXPECT_EQ(u.log_extra_fields.at("PODLET_CONTAINER"), "app");
  EXPECT_EQ(u.syslog_identifier, "web/app");
  p.spec.termination_grace_period_seconds = 0;
  EXPECT_EQ(plan(p).containers[0].unit.timeout_stop_usec, 2000000u);  // kubelet's minimum
}

TEST(PlannerUnits, ResourceLimitsOnUnitsAndSlice) {
  auto p = testing::pod("default", "web");
  p.spec.containers.push_back(testing::container("two"));
  p.spec.containers[0].resources.limits = {{"memory", *manifest::parse_quantity("128Mi")},
                                           {"cpu", *manifest::parse_quantity("500m")}};
  p.spec.containers[0].resources.requests = {{"cpu", *manifest::parse_quantity("250m")}};
  auto pl = plan(p);
  const auto& u = pl.containers[0].unit;
  EXPECT_EQ(u.memory_max, 128u << 20);
  EXPECT_EQ(u.cpu_quota_per_sec_usec, 500000u);
  EXPECT_EQ(u.cpu_weight, 1u + ((256u - 2u) * 9999u) / 262142u);
  EXPECT_EQ(u.tasks_max, 2048u);
  // Not every container has a limit: no pod-level memory/cpu limit.
  EXPECT_FALSE(pl.slice.memory_max.has_value());
  EXPECT_FALSE(pl.slice.cpu_quota_per_sec_usec.has_value());
  EXPECT_EQ(pl.slice.tasks_max, 2048u * 3);

  p.spec.containers[1].resources.limits = {{"memory", *manifest::parse_quantity("64Mi")},
                                           {"cpu", *manifest::parse_quantity("1")}};
  auto init = testing::container("init");
  init.resources.limits = {{"memory", *manifest::parse_quantity("1Gi")},
                           {"cpu", *manifest::parse_quantity("100m")}};
  p.spec.init_containers.push_back(init);
  pl = plan(p);
  EXPECT_EQ(pl.slice.memory_max, 1u << 30);              // the init container's peak is larger
  EXPECT_EQ(pl.slice.cpu_quota_per_sec_usec, 1500000u);  // apps together are larger
}

TEST(PlannerUnits, NamespacesFollowHostFlags) {
  auto p = testing::pod("default", "web");
  p.spec.share_process_namespace = true;
  auto pl = plan(p);
  EXPECT_TRUE(pl.infra.new_pid);
  EXPECT_TRUE(pl.containers[0].spec.namespaces.join_pid);
  p.spec.host_network = true;
  p.spec.host_ipc = true;
  pl = plan(p);
  EXPECT_FALSE(pl.infra.new_net);
  EXPECT_FALSE(pl.infra.new_uts);
  EXPECT_FALSE(pl.infra.new_ipc);
  EXPECT_FALSE(pl.infra.network.enabled);
}

TEST(PlannerUnits, HostNetworkPodsAreNamedAfterTheNode) {
  auto p = testing::pod("default", "web");
  EXPECT_EQ(plan(p).infra.hostname, "web");
  p.spec.host_network = true;
  p.spec.hostname = "agent";
  EXPECT_EQ(plan(p).infra.hostname, "node1");  // what /etc/hostname holds
}

TEST(PlannerUnits, HostPortsAndDns) {
  auto p = testing::pod("default", "web");
  p.spec.containers[0].ports.push_back({"http", 80, 8080, "TCP", ""});
  p.spec.containers[0].ports.push_back({"dns", 53, 0, "UDP", ""});
  p.spec.dns_policy = "None";
  p.spec.dns_config = manifest::PodDNSConfig{{"1.1.1.1"}, {"example.com"}, {{"ndots", "2"}}};
  p.spec.host_aliases.push_back({"10.0.0.5", {"db", "db.local"}});
  auto pl = plan(p);
  ASSERT_EQ(pl.infra.network.ports.size(), 1u);
  EXPECT_EQ(pl.infra.network.ports[0].host_port, 8080);
  EXPECT_EQ(pl.infra.network.ports[0].container_port, 80);
  EXPECT_EQ(pl.infra.network.ports[0].protocol, "tcp");
  EXPECT_EQ(pl.infra.resolv_conf_content, "nameserver 1.1.1.1\nsearch example.com\noptions ndots:2\n");
  ASSERT_EQ(pl.infra.host_aliases.size(), 1u);
  EXPECT_EQ(pl.infra.host_aliases[0].second[1], "db.local");

  p.spec.dns_policy = "ClusterFirst";
  auto o = testing::options();
  o.host_resolv_conf = "nameserver 9.9.9.9\nsearch lan\noptions ndots:1 edns0\n";
  pl = plan_pod(p, {}, testing::images(), o);
  EXPECT_EQ(pl.infra.resolv_conf_content,
            "nameserver 9.9.9.9\nnameserver 1.1.1.1\nsearch lan example.com\noptions ndots:2 edns0\n");
  p.spec.dns_config.reset();
  // The planner renders the host's resolver too: the runtime reads nothing of the host's.
  EXPECT_EQ(plan_pod(p, {}, testing::images(), o).infra.resolv_conf_content, o.host_resolv_conf);
}

TEST(PlannerUnits, SamePodNameInTwoNamespacesGetsDistinctEverything) {
  auto a = plan(testing::pod("a", "web"));
  auto b = plan(testing::pod("b", "web"));
  EXPECT_NE(a.state_dir, b.state_dir);
  for (size_t i = 0; i < a.unit_names().size(); ++i) EXPECT_NE(a.unit_names()[i], b.unit_names()[i]);
}

TEST(PlannerUnits, PlansAreDeterministicAndRoundTripThroughJson) {
  auto p = three_container_pod();
  nlohmann::json first = plan(p), second = plan(p);
  EXPECT_EQ(first, second);
  PodPlan back = first.get<PodPlan>();
  EXPECT_EQ(nlohmann::json(back), first);
}

TEST(PlannerUnits, SpecDirOverrideForGeneratedUnits) {
  auto o = testing::options();
  o.spec_dir = "/var/lib/podlet/pods/default_web/specs";
  auto pl = plan_pod(testing::pod("default", "web"), {}, testing::images(), o);
  EXPECT_EQ(pl.infra_spec_path, o.spec_dir + "/infra.json");
  EXPECT_EQ(pl.containers[0].unit.exec_start.back(), o.spec_dir + "/container-app.json");
  EXPECT_EQ(pl.state_dir, "/run/podlet/pods/default_web");  // runtime state stays under runroot
}

}  // namespace
}  // namespace podlet::plan
