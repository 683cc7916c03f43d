#include <fnmatch.h>

#include <gtest/gtest.h>

#include "plan/unit_names.h"

namespace podlet::plan {
namespace {

TEST(UnitNames, EscapesLikeSystemdEscape) {
  EXPECT_EQ(systemd_escape("default_web"), "default_web");
  EXPECT_EQ(systemd_escape("my-web"), "my\\x2dweb");
  EXPECT_EQ(systemd_escape("a/b"), "a-b");
  EXPECT_EQ(systemd_escape(".hidden"), "\\x2ehidden");
  EXPECT_EQ(systemd_escape("a.b"), "a.b");
}

TEST(UnitNames, SliceEscapesDashesSoPodsDoNotNest) {
  auto n = pod_unit_names("default", "my-web");
  EXPECT_EQ(n.slice, "podlet-default_my\\x2dweb.slice");
  EXPECT_EQ(n.infra, "podlet-default_my-web-infra.service");
  EXPECT_EQ(n.container("nginx"), "podlet-default_my-web_nginx.service");
}

TEST(UnitNames, UniqueAcrossNamespacesAndBetweenInfraAndContainers) {
  auto a = pod_unit_names("a", "web");
  auto b = pod_unit_names("b", "web");
  EXPECT_NE(a.slice, b.slice);
  EXPECT_NE(a.infra, b.infra);
  EXPECT_NE(a.container("c"), b.container("c"));
  // A container called "infra" and a pod whose name ends in "-infra" do not collide.
  EXPECT_NE(a.container("infra"), a.infra);
  EXPECT_NE(pod_unit_names("a", "web-infra").slice, a.slice);
  EXPECT_NE(pod_unit_names("a", "web-infra").infra, a.infra);
}

TEST(UnitNames, LongNamesStayWithinSystemdLimitAndUnique) {
  std::string long_name(253, 'a');
  for (size_t i = 1; i < long_name.size(); i += 2) long_name[i] = '-';
  auto n = pod_unit_names("default", long_name);
  auto m = pod_unit_names("other", long_name);
  EXPECT_LE(n.slice.size(), 255u);
  EXPECT_LE(n.infra.size(), 255u);
  EXPECT_LE(n.container(std::string(63, 'c')).size(), 255u);
  EXPECT_TRUE(n.slice.ends_with(".slice"));
  EXPECT_NE(n.slice, m.slice);
  EXPECT_EQ(n.slice, pod_unit_names("default", long_name).slice);  // stable
  // No half escape sequence before the hash.
  auto hash_at = n.slice.rfind('_');
  EXPECT_EQ(n.slice.substr(0, hash_at).find_last_of('\\') + 4 <= hash_at, true);
}

bool globbed(const PodUnitNames& n, const std::string& unit) {
  for (const auto& g : n.unit_globs())
    if (fnmatch(g.c_str(), unit.c_str(), 0) == 0) return true;
  return false;
}

TEST(UnitNames, MatchTellsThePodsUnitsApart) {
  auto n = pod_unit_names("default", "my-web");
  auto slice = n.match(n.slice), infra = n.match(n.infra), nginx = n.match(n.container("nginx"));
  ASSERT_TRUE(slice && infra && nginx);
  EXPECT_EQ(slice->kind, PodUnit::Kind::slice);
  EXPECT_EQ(infra->kind, PodUnit::Kind::infra);
  EXPECT_EQ(nginx->kind, PodUnit::Kind::container);
  EXPECT_EQ(nginx->container, "nginx");
  EXPECT_FALSE(nginx->shortened);
  for (const auto& u : {n.slice, n.infra, n.container("nginx")}) EXPECT_TRUE(globbed(n, u)) << u;
  // Units of other pods: another namespace, a pod whose name extends this one's.
  for (const auto& other : {pod_unit_names("other", "my-web"), pod_unit_names("default", "my-web-2"),
                            pod_unit_names("default", "my"), pod_unit_names("default", "my-web-infra")}) {
    for (const auto& u : {other.slice, other.infra, other.container("nginx")}) {
      EXPECT_FALSE(n.match(u)) << u;
      EXPECT_FALSE(globbed(n, u)) << u;
    }
  }
  EXPECT_FALSE(n.match("podlet-default_my-web_.service"));
  EXPECT_FALSE(n.match("podlet-default_my-web_nginx.slice"));
  EXPECT_FALSE(n.match("podlet-default_my-web_a_b.service"));
}

TEST(UnitNames, MatchFindsShortenedContainerUnits) {
  auto n = pod_unit_names("default", "web");
  std::string long_container(63, 'c');
  std::string unit = n.container(std::string(240, 'x'));  // longer than any container name, to force the hash
  EXPECT_EQ(unit.size(), 255u);
  auto m = n.match(unit);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, PodUnit::Kind::container);
  EXPECT_TRUE(m->shortened);
  EXPECT_TRUE(std::string(240, 'x').starts_with(m->container));
  EXPECT_TRUE(globbed(n, unit));

  // A long pod name: its containers' names are shortened, its own prefix kept.
  std::string pod_name(200, 'p');
  auto p = pod_unit_names("team", pod_name);
  for (const auto& c : {std::string("a"), long_container}) {
    std::string u = p.container(c);
    SCOPED_TRACE(u);
    auto pm = p.match(u);
    ASSERT_TRUE(pm);
    EXPECT_EQ(pm->kind, PodUnit::Kind::container);
    EXPECT_EQ(pm->shortened, u.size() == 255u);
    EXPECT_TRUE(c.starts_with(pm->container));
    EXPECT_TRUE(globbed(p, u));
    // Not the unit of a pod whose name is one byte shorter or longer.
    EXPECT_FALSE(pod_unit_names("team", pod_name + "q").match(u));
    EXPECT_FALSE(pod_unit_names("team", pod_name.substr(1)).match(u));
  }
  EXPECT_TRUE(p.container(long_container).size() == 255u);
  // Shortened infra and slice are matched by their exact names.
  std::string longest(253, 'l');
  auto q = pod_unit_names("default", longest);
  EXPECT_EQ(q.infra.size(), 255u);
  EXPECT_EQ(q.match(q.infra)->kind, PodUnit::Kind::infra);
  EXPECT_EQ(q.match(q.slice)->kind, PodUnit::Kind::slice);
  EXPECT_TRUE(globbed(q, q.infra));
  EXPECT_TRUE(globbed(q, q.slice));
}

TEST(UnitNames, ProbeUnitsShareAStemAndAreMatched) {
  auto n = pod_unit_names("default", "web");
  std::string service = n.probe("app", "liveness");
  EXPECT_EQ(service, "podlet-default_web_app_liveness-probe.service");
  std::string timer = PodUnitNames::probe_timer(service);
  EXPECT_EQ(timer, "podlet-default_web_app_liveness-probe.timer");
  for (const auto& u : {service, timer}) {
    auto m = n.match(u);
    ASSERT_TRUE(m) << u;
    EXPECT_EQ(m->kind, PodUnit::Kind::probe);
    EXPECT_EQ(m->container, "app");
    EXPECT_EQ(m->probe, "liveness");
    EXPECT_TRUE(globbed(n, u)) << u;
  }
  // A container named like a probe's stem is still a container: names hold no '_'.
  EXPECT_NE(n.container("app-liveness-probe"), service);
  EXPECT_FALSE(n.match("podlet-default_web_app_other-probe.service"));
  EXPECT_FALSE(n.match("podlet-default_web_app.timer"));
  // A long name keeps one stem for the timer and its service.
  std::string long_service = n.probe(std::string(250, 'c'), "readiness");
  EXPECT_EQ(long_service.size(), 255u);
  EXPECT_EQ(PodUnitNames::probe_timer(long_service).substr(0, 247), long_service.substr(0, 247));
}

TEST(UnitNames, GlobsMatchTheSliceLiterally) {
  auto n = pod_unit_names("default", "my-web");
  EXPECT_TRUE(globbed(n, "podlet-default_my\\x2dweb.slice"));
  EXPECT_FALSE(globbed(n, "podlet-default_myx2dweb.slice"));
}

}  // namespace
}  // namespace podlet::plan
