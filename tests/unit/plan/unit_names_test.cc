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

}  // namespace
}  // namespace podlet::plan
