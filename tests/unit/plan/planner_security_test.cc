// Capabilities, privilege, seccomp and masked paths: Podman's defaults adjusted by securityContext.
#include <algorithm>

#include <gtest/gtest.h>

#include "planner_test_support.h"

namespace podlet::plan {
namespace {

ContainerSpec spec_of(const manifest::Pod& p) {
  return plan_pod(p, {}, testing::images(), testing::options()).containers[0].spec;
}

manifest::SecurityContext& sc(manifest::Pod& p) {
  return p.spec.containers[0].security_context.emplace();
}

const std::vector<std::string> kPodmanDefault = {
    "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FOWNER",           "CAP_FSETID",     "CAP_KILL",   "CAP_SETGID",
    "CAP_SETUID", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_SETFCAP"};

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(PlannerSecurity, PodmansElevenCapabilitiesByDefault) {
  auto s = spec_of(testing::pod("default", "web"));
  EXPECT_EQ(sorted(s.process.capabilities.names), sorted(kPodmanDefault));
  EXPECT_FALSE(s.privileged);
  EXPECT_FALSE(s.process.no_new_privileges);
  EXPECT_FALSE(s.root.read_only);
  EXPECT_EQ(s.process.seccomp.mode, "runtime-default");
  EXPECT_NE(std::find(s.masked_paths.begin(), s.masked_paths.end(), "/proc/kcore"), s.masked_paths.end());
  EXPECT_NE(std::find(s.readonly_paths.begin(), s.readonly_paths.end(), "/proc/sys"), s.readonly_paths.end());
  EXPECT_TRUE(s.sysfs_read_only);
  ASSERT_EQ(s.devices.size(), 6u);
  EXPECT_EQ(s.devices[0].path, "/dev/null");
  EXPECT_EQ(s.devices[0].major, 1u);
  EXPECT_EQ(s.devices[0].minor, 3u);
}

TEST(PlannerSecurity, AddAndDropAcceptKubernetesNames) {
  auto p = testing::pod("default", "web");
  sc(p).capabilities = manifest::Capabilities{{"NET_ADMIN", "cap_sys_time"}, {"CHOWN", "KILL"}};
  auto caps = spec_of(p).process.capabilities.names;
  auto has = [&](const char* c) { return std::find(caps.begin(), caps.end(), c) != caps.end(); };
  EXPECT_TRUE(has("CAP_NET_ADMIN"));
  EXPECT_TRUE(has("CAP_SYS_TIME"));
  EXPECT_FALSE(has("CAP_CHOWN"));
  EXPECT_FALSE(has("CAP_KILL"));
  EXPECT_EQ(caps.size(), 11u);
}

TEST(PlannerSecurity, DropAllThenAdd) {
  auto p = testing::pod("default", "web");
  sc(p).capabilities = manifest::Capabilities{{"NET_BIND_SERVICE"}, {"ALL"}};
  EXPECT_EQ(spec_of(p).process.capabilities.names, (std::vector<std::string>{"CAP_NET_BIND_SERVICE"}));
}

TEST(PlannerSecurity, AddAllThenDropOne) {
  auto p = testing::pod("default", "web");
  sc(p).capabilities = manifest::Capabilities{{"ALL"}, {"CHOWN"}};
  auto caps = spec_of(p).process.capabilities.names;
  EXPECT_GT(caps.size(), 30u);
  EXPECT_EQ(std::find(caps.begin(), caps.end(), "CAP_CHOWN"), caps.end());
  EXPECT_NE(std::find(caps.begin(), caps.end(), "CAP_SYS_ADMIN"), caps.end());
}

TEST(PlannerSecurity, UnknownCapabilityNamesTheField) {
  auto p = testing::pod("default", "web");
  sc(p).capabilities = manifest::Capabilities{{"NET_ADMIN", "FLY"}, {}};
  try {
    spec_of(p);
    FAIL();
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("spec.containers[0].securityContext.capabilities.add[1]"), std::string::npos) << m;
    EXPECT_NE(m.find("CAP_FLY"), std::string::npos) << m;
  }
}

TEST(PlannerSecurity, PrivilegedGetsEverythingUnmasked) {
  auto p = testing::pod("default", "web");
  sc(p).privileged = true;
  auto s = spec_of(p);
  EXPECT_TRUE(s.privileged);
  EXPECT_GT(s.process.capabilities.names.size(), 30u);
  EXPECT_TRUE(s.masked_paths.empty());
  EXPECT_TRUE(s.readonly_paths.empty());
  EXPECT_EQ(s.process.seccomp.mode, "unconfined");
  EXPECT_FALSE(s.sysfs_read_only);
  EXPECT_EQ(s.devices.size(), 6u) << "the same devices as any container";
}

TEST(PlannerSecurity, EscalationReadOnlyRootSeccompProcMount) {
  auto p = testing::pod("default", "web");
  auto& c = sc(p);
  c.allow_privilege_escalation = false;
  c.read_only_root_filesystem = true;
  c.proc_mount = "Unmasked";
  c.seccomp_profile = manifest::SeccompProfile{"Unconfined", ""};
  auto s = spec_of(p);
  EXPECT_TRUE(s.process.no_new_privileges);
  EXPECT_TRUE(s.root.read_only);
  EXPECT_TRUE(s.masked_paths.empty());
  EXPECT_TRUE(s.readonly_paths.empty());
  EXPECT_TRUE(s.sysfs_read_only) << "procMount changes /proc only";
  EXPECT_EQ(s.process.seccomp.mode, "unconfined");
}

TEST(PlannerSecurity, PodSeccompLocalhostProfileUnderRoot) {
  auto p = testing::pod("default", "web");
  p.spec.security_context.seccomp_profile = manifest::SeccompProfile{"Localhost", "profiles/audit.json"};
  auto s = spec_of(p);
  EXPECT_EQ(s.process.seccomp.mode, "localhost");
  EXPECT_EQ(s.process.seccomp.profile_path, "/var/lib/podlet/seccomp/profiles/audit.json");
  p.spec.security_context.seccomp_profile = manifest::SeccompProfile{"Localhost", "../../etc/x"};
  EXPECT_THROW(spec_of(p), Error);
}

}  // namespace
}  // namespace podlet::plan
