#include <gtest/gtest.h>

#include "plan/runtime_spec.h"

namespace podlet::plan {
namespace {

TEST(RuntimeSpec, ContainerSpecRoundTripsThroughJson) {
  ContainerSpec s;
  s.pod = "default/web";
  s.name = "nginx";
  s.root.lower_dirs = {"/l2", "/l1"};
  s.process.args = {"/bin/sh", "-c", "echo hi"};
  s.process.uid = 1000;
  s.mounts.push_back(MountSpec{.source = "/a", .destination = "/b", .read_only = true});
  nlohmann::json j = s;
  ContainerSpec back = j.get<ContainerSpec>();
  EXPECT_EQ(back.pod, "default/web");
  EXPECT_EQ(back.root.lower_dirs, s.root.lower_dirs);
  EXPECT_EQ(back.process.args, s.process.args);
  ASSERT_TRUE(back.process.uid.has_value());
  EXPECT_EQ(*back.process.uid, 1000u);
  EXPECT_FALSE(back.process.gid.has_value());
  ASSERT_EQ(back.mounts.size(), 1u);
  EXPECT_TRUE(back.mounts[0].read_only);
  EXPECT_EQ(back.mounts[0].type, "bind");
}

TEST(RuntimeSpec, SysfsAndDevicesRoundTrip) {
  ContainerSpec s;
  s.sysfs_read_only = false;
  s.devices = {{"/dev/fuse", "c", 10, 229, 0600}, {"/dev/loop0", "b", 7, 0, 0660}};
  ContainerSpec back = nlohmann::json(s).get<ContainerSpec>();
  EXPECT_FALSE(back.sysfs_read_only);
  ASSERT_EQ(back.devices.size(), 2u);
  EXPECT_EQ(back.devices[0].path, "/dev/fuse");
  EXPECT_EQ(back.devices[0].minor, 229u);
  EXPECT_EQ(back.devices[0].mode, 0600u);
  EXPECT_EQ(back.devices[1].type, "b");
  EXPECT_EQ(back.devices[1].major, 7u);

  s.devices.clear();  // an explicit empty list stays empty
  EXPECT_TRUE(nlohmann::json(s).get<ContainerSpec>().devices.empty());
}

TEST(RuntimeSpec, MissingFieldsTakeDefaults) {
  auto s = nlohmann::json::parse(R"({"name":"c"})").get<ContainerSpec>();
  EXPECT_EQ(s.name, "c");
  EXPECT_EQ(s.process.cwd, "/");
  EXPECT_EQ(s.process.seccomp.mode, "runtime-default");
  EXPECT_TRUE(s.namespaces.join_net);
  EXPECT_TRUE(s.sysfs_read_only);
  // A spec written before `devices` existed gets the devices every container gets.
  ASSERT_EQ(s.devices.size(), default_devices().size());
  EXPECT_EQ(s.devices[0].path, "/dev/null");
  EXPECT_TRUE(s.masked_paths.empty());
}

TEST(RuntimeSpec, VolumeOwnershipRoundTripsAndIsOptional) {
  VolumeSpec v;
  v.name = "data";
  v.kind = "persistent";
  v.ownership = VolumeOwnership{.gid = 2000, .read_only = true, .only_on_root_mismatch = true};
  nlohmann::json j = v;
  EXPECT_EQ(j["ownership"]["gid"], 2000);
  auto back = j.get<VolumeSpec>();
  ASSERT_TRUE(back.ownership);
  EXPECT_EQ(back.ownership->gid, 2000u);
  EXPECT_TRUE(back.ownership->read_only);
  EXPECT_TRUE(back.ownership->only_on_root_mismatch);

  v.ownership.reset();
  j = v;
  EXPECT_FALSE(j.contains("ownership")) << "specs without fsGroup stay as they were";
  auto old = nlohmann::json::parse(R"({"name":"a","kind":"empty-dir"})").get<VolumeSpec>();
  EXPECT_FALSE(old.ownership);
  auto partial = nlohmann::json::parse(R"({"ownership":{"gid":5}})").get<VolumeSpec>();
  ASSERT_TRUE(partial.ownership);
  EXPECT_FALSE(partial.ownership->read_only);
}

}  // namespace
}  // namespace podlet::plan
