// Container units run podlet-runtime, the container entrypoint's own small binary,
// from beside the podlet binary that planned them; the infra stays podlet's.
#include <gtest/gtest.h>

#include "planner_test_support.h"

namespace podlet::plan {
namespace {

TEST(PlannerRuntimeBinary, ContainerUnitsRunPodletRuntimeNextToPodlet) {
  auto p = testing::pod("default", "web");
  p.spec.init_containers.push_back(testing::container("setup"));
  auto o = testing::options();
  o.podlet_binary = "/opt/podlet/bin/podlet";
  auto pl = plan_pod(p, {}, testing::images(), o);
  ASSERT_FALSE(pl.containers.empty());
  for (const auto& c : pl.containers) {
    ASSERT_EQ(c.unit.exec_start.size(), 5u) << c.name;
    EXPECT_EQ(c.unit.exec_start[0], "/opt/podlet/bin/podlet-runtime") << c.name;
    EXPECT_EQ(c.unit.exec_start[1], "internal");
    EXPECT_EQ(c.unit.exec_start[2], "container");
    EXPECT_EQ(c.unit.exec_start[3], "--spec");
    EXPECT_EQ(c.unit.exec_start[4], c.spec_path);
  }
  EXPECT_EQ(pl.infra_unit.exec_start[0], "/opt/podlet/bin/podlet");
  EXPECT_EQ(pl.infra_unit.exec_stop_post.at(0).at(0), "/opt/podlet/bin/podlet");
}

}  // namespace
}  // namespace podlet::plan
