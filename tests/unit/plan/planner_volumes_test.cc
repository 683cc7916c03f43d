// Volumes the infra prepares and the mounts each container gets.
#include <gtest/gtest.h>

#include "planner_test_support.h"

namespace podlet::plan {
namespace {

manifest::Volume volume(const std::string& name) {
  manifest::Volume v;
  v.name = name;
  return v;
}

manifest::VolumeMount mount(const std::string& name, const std::string& path) {
  manifest::VolumeMount m;
  m.name = name;
  m.mount_path = path;
  return m;
}

TEST(PlannerVolumes, KindsAndWhereTheyLive) {
  manifest::Manifest objects;
  manifest::ConfigMap cm;
  cm.data = {{"a.conf", "A"}, {"b.conf", "B"}};
  objects.config_maps["default/cfg"] = cm;
  manifest::Secret sec;
  sec.data = {{"token", "T"}};
  objects.secrets["default/creds"] = sec;

  auto p = testing::pod("default", "web");
  auto disk = volume("cache");
  disk.empty_dir.emplace();
  auto mem = volume("scratch");
  mem.empty_dir = manifest::EmptyDirVolumeSource{"Memory", manifest::parse_quantity("64Mi")};
  auto host = volume("sock");
  host.host_path = manifest::HostPathVolumeSource{"/run/app.sock", "Socket"};
  auto conf = volume("conf");
  conf.config_map = manifest::ConfigMapVolumeSource{"cfg", {{"a.conf", "sub/a", 0600}}, 0644, false};
  auto secret = volume("secret");
  secret.secret = manifest::SecretVolumeSource{"creds", {}, 0400, false};
  auto claim = volume("data");
  claim.persistent_volume_claim = manifest::PersistentVolumeClaimVolumeSource{"db-data", true};
  p.spec.volumes = {disk, mem, host, conf, secret, claim};

  auto& c = p.spec.containers[0];
  c.volume_mounts = {mount("cache", "/cache"),  mount("scratch", "/scratch"), mount("sock", "/app.sock"),
                     mount("conf", "/etc/app"), mount("secret", "/secret"),   mount("data", "/data")};
  c.volume_mounts[0].mount_propagation = "HostToContainer";
  c.volume_mounts[1].read_only = true;

  auto plan = plan_pod(p, objects, testing::images(), testing::options());
  const auto& v = plan.infra.volumes;
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[0].kind, "empty-dir");
  EXPECT_EQ(v[0].host_path, "/var/lib/podlet/pods/default_web/volumes/cache");
  EXPECT_EQ(v[1].kind, "memory");
  EXPECT_EQ(v[1].host_path, "/run/podlet/pods/default_web/volumes/scratch");
  EXPECT_EQ(v[1].size_limit, 64u << 20);
  EXPECT_EQ(v[2].kind, "host-path");
  EXPECT_EQ(v[2].host_path, "/run/app.sock");
  EXPECT_EQ(v[2].host_path_type, "Socket");
  EXPECT_EQ(v[3].kind, "config-map");
  ASSERT_EQ(v[3].files.size(), 1u);
  EXPECT_EQ(v[3].files[0].path, "sub/a");
  EXPECT_EQ(v[3].files[0].content, "A");
  EXPECT_EQ(v[3].files[0].mode, 0600u);
  EXPECT_EQ(v[4].kind, "secret");
  EXPECT_EQ(v[4].files[0].mode, 0400u);
  EXPECT_EQ(v[5].kind, "persistent");
  EXPECT_EQ(v[5].host_path, "/var/lib/podlet/volumes/default_db-data");

  const auto& m = plan.containers[0].spec.mounts;
  ASSERT_EQ(m.size(), 6u);
  EXPECT_EQ(m[0].source, v[0].host_path);
  EXPECT_EQ(m[0].destination, "/cache");
  EXPECT_EQ(m[0].propagation, "rslave");
  EXPECT_FALSE(m[0].read_only);
  EXPECT_TRUE(m[1].read_only);
  EXPECT_TRUE(m[2].is_file);    // Socket hostPath
  EXPECT_TRUE(m[3].read_only);  // ConfigMaps are always read-only
  EXPECT_TRUE(m[4].read_only);
  EXPECT_TRUE(m[5].read_only);  // claim mounted readOnly
}

TEST(PlannerVolumes, SubPathAndSubPathExpr) {
  manifest::Manifest objects;
  manifest::ConfigMap cm;
  cm.data = {{"nginx.conf", "x"}};
  objects.config_maps["default/cfg"] = cm;
  auto p = testing::pod("default", "web");
  auto shared = volume("shared");
  shared.empty_dir.emplace();
  auto conf = volume("conf");
  conf.config_map = manifest::ConfigMapVolumeSource{"cfg", {}, 0644, false};
  p.spec.volumes = {shared, conf};
  auto& c = p.spec.containers[0];
  c.env = {{"POD", "web", {}}};
  c.volume_mounts = {mount("shared", "/a"), mount("shared", "/b"), mount("conf", "/etc/nginx/nginx.conf")};
  c.volume_mounts[0].sub_path = "logs/a";
  c.volume_mounts[1].sub_path_expr = "per-pod/$(POD)";
  c.volume_mounts[2].sub_path = "nginx.conf";
  auto m = plan_pod(p, objects, testing::images(), testing::options()).containers[0].spec.mounts;
  EXPECT_EQ(m[0].source, "/var/lib/podlet/pods/default_web/volumes/shared");
  EXPECT_EQ(m[0].sub_path, "logs/a");
  EXPECT_EQ(m[1].source, "/var/lib/podlet/pods/default_web/volumes/shared");
  EXPECT_EQ(m[1].sub_path, "per-pod/web");
  EXPECT_EQ(m[2].source, "/run/podlet/pods/default_web/volumes/conf");
  EXPECT_EQ(m[2].sub_path, "nginx.conf");
  EXPECT_TRUE(m[2].is_file);

  c.volume_mounts[1].sub_path_expr = "$(UNSET)/../../etc";
  EXPECT_THROW(plan_pod(p, objects, testing::images(), testing::options()), Error);
}

TEST(PlannerVolumes, ItemPathsCannotEscape) {
  manifest::Manifest objects;
  manifest::ConfigMap cm;
  cm.data = {{"k", "v"}};
  objects.config_maps["default/cfg"] = cm;
  auto p = testing::pod("default", "web");
  auto conf = volume("conf");
  conf.config_map = manifest::ConfigMapVolumeSource{"cfg", {{"k", "../escape", std::nullopt}}, 0644, false};
  p.spec.volumes = {conf};
  try {
    plan_pod(p, objects, testing::images(), testing::options());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("spec.volumes[0].configMap.items[0].path"), std::string::npos)
        << e.what();
  }
}

TEST(PlannerVolumes, OptionalMissingConfigMapIsEmpty) {
  auto p = testing::pod("default", "web");
  auto conf = volume("conf");
  conf.config_map = manifest::ConfigMapVolumeSource{"absent", {}, 0644, true};
  p.spec.volumes = {conf};
  auto plan = plan_pod(p, {}, testing::images(), testing::options());
  EXPECT_TRUE(plan.infra.volumes[0].files.empty());
}

TEST(PlannerVolumes, DownwardApiFiles) {
  auto p = testing::pod("default", "web");
  p.metadata.labels = {{"app", "web"}, {"tier", "front"}};
  auto info = volume("info");
  manifest::DownwardAPIVolumeSource src;
  src.items.push_back(
      {"labels", manifest::ObjectFieldSelector{"v1", "metadata.labels"}, std::nullopt, std::nullopt});
  src.items.push_back({"name", manifest::ObjectFieldSelector{"v1", "metadata.name"}, std::nullopt, 0600});
  info.downward_api = src;
  p.spec.volumes = {info};
  auto v = plan_pod(p, {}, testing::images(), testing::options()).infra.volumes[0];
  ASSERT_EQ(v.files.size(), 2u);
  EXPECT_EQ(v.files[0].content, "app=\"web\"\ntier=\"front\"\n");
  EXPECT_EQ(v.files[1].content, "web");
  EXPECT_EQ(v.files[1].mode, 0600u);
}

// fsGroup: the volumes the kubelet manages the ownership of (not hostPath, not a claim
// mounted readOnly); configMap/secret read-only; only claims honour OnRootMismatch.
TEST(PlannerVolumes, FsGroupOwnership) {
  manifest::Manifest objects;
  manifest::ConfigMap cm;
  cm.data = {{"a", "A"}};
  objects.config_maps["default/cfg"] = cm;
  auto p = testing::pod("default", "web");
  p.spec.security_context.fs_group = 2000;
  p.spec.security_context.fs_group_change_policy = "OnRootMismatch";
  auto disk = volume("cache");
  disk.empty_dir.emplace();
  auto mem = volume("scratch");
  mem.empty_dir = manifest::EmptyDirVolumeSource{"Memory", std::nullopt};
  auto host = volume("host");
  host.host_path = manifest::HostPathVolumeSource{"/srv", "Directory"};
  auto conf = volume("conf");
  conf.config_map = manifest::ConfigMapVolumeSource{"cfg", {}, 0644, false};
  auto claim = volume("data");
  claim.persistent_volume_claim = manifest::PersistentVolumeClaimVolumeSource{"db", false};
  auto ro_claim = volume("ro");
  ro_claim.persistent_volume_claim = manifest::PersistentVolumeClaimVolumeSource{"db", true};
  p.spec.volumes = {disk, mem, host, conf, claim, ro_claim};

  auto v = plan_pod(p, objects, testing::images(), testing::options()).infra.volumes;
  ASSERT_EQ(v.size(), 6u);
  for (size_t i : {0u, 1u, 3u, 4u}) {
    ASSERT_TRUE(v[i].ownership) << v[i].name;
    EXPECT_EQ(v[i].ownership->gid, 2000u) << v[i].name;
  }
  EXPECT_FALSE(v[0].ownership->read_only);
  EXPECT_FALSE(v[0].ownership->only_on_root_mismatch) << "an emptyDir is new on every start";
  EXPECT_FALSE(v[2].ownership) << "hostPath is never changed";
  EXPECT_TRUE(v[3].ownership->read_only);
  EXPECT_FALSE(v[4].ownership->read_only);
  EXPECT_TRUE(v[4].ownership->only_on_root_mismatch);
  EXPECT_FALSE(v[5].ownership) << "a claim mounted readOnly is not changed";

  p.spec.security_context.fs_group_change_policy.reset();
  v = plan_pod(p, objects, testing::images(), testing::options()).infra.volumes;
  EXPECT_FALSE(v[4].ownership->only_on_root_mismatch) << "Always is the default";
  p.spec.security_context.fs_group.reset();
  v = plan_pod(p, objects, testing::images(), testing::options()).infra.volumes;
  for (const auto& vol : v) EXPECT_FALSE(vol.ownership) << vol.name;
}

}  // namespace
}  // namespace podlet::plan
