// The planner's specs for a manifest, run as they are: what securityContext
// (or its absence) in a manifest turns into inside the container.
#include <linux/capability.h>

#include <gtest/gtest.h>

#include <fstream>

#include "manifest/model.h"
#include "plan/planner.h"
#include "runtime_test.h"

namespace podlet::test {
namespace {

constexpr const char* kManifest = R"(apiVersion: v1
kind: Pod
metadata:
  name: planned
  namespace: test
spec:
  hostUsers: false
  containers:
  - name: defaults
    image: localhost/busybox:latest
    command: [/usr/bin/podlet-probe, report, /proc/keys, /proc/timer_list, /sys/firmware, /proc/sys]
  - name: hardened
    image: localhost/busybox:latest
    command: [/usr/bin/podlet-probe, report]
    workingDir: /srv
    securityContext:
      runAsUser: 1000
      runAsGroup: 1000
      runAsNonRoot: true
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities:
        drop: [ALL]
        add: [NET_BIND_SERVICE]
  - name: unmasked
    image: localhost/busybox:latest
    command: [/usr/bin/podlet-probe, report, /proc/keys, /proc/timer_list, /sys/firmware, /proc/sys, /sys]
    securityContext:
      procMount: Unmasked
  - name: privileged
    image: localhost/busybox:latest
    command: [/usr/bin/podlet-probe, report, /proc/keys, /sys, /proc/sys]
    securityContext:
      privileged: true
)";

uint64_t bit(int cap) {
  return uint64_t{1} << cap;
}

class PlannedPodTest : public RuntimeTest {
 protected:
  void SetUp() override {
    planned = plan_test_pod(sandbox, kManifest, image);
    pod = std::make_unique<Pod>(sandbox, planned.infra, image);
    pod->start();
  }
  void TearDown() override { pod.reset(); }

  nlohmann::json run(const std::string& container) {
    const auto* c = planned.find_container(container);
    if (!c) throw std::runtime_error("no container " + container + " in the plan");
    return pod->probe(c->spec);
  }

  plan::PodPlan planned;
  std::unique_ptr<Pod> pod;
};

TEST_F(PlannedPodTest, NoSecurityContextMeansPodmansDefaults) {
  auto report = run("defaults");
  uint64_t podman = bit(CAP_CHOWN) | bit(CAP_DAC_OVERRIDE) | bit(CAP_FOWNER) | bit(CAP_FSETID) |
                    bit(CAP_KILL) | bit(CAP_NET_BIND_SERVICE) | bit(CAP_SETFCAP) | bit(CAP_SETGID) |
                    bit(CAP_SETPCAP) | bit(CAP_SETUID) | bit(CAP_SYS_CHROOT);
  for (const char* set : {"bnd", "prm", "eff"}) EXPECT_EQ(cap_mask(report["caps"][set]), podman) << set;
  EXPECT_EQ(cap_mask(report["caps"]["inh"]), 0u);
  EXPECT_EQ(cap_mask(report["caps"]["amb"]), 0u);
  EXPECT_EQ(report["seccomp"], 2);
  EXPECT_EQ(report["no_new_privs"], 0);
  EXPECT_EQ(report["uid"], 0);
  EXPECT_EQ(report["hostname"], "planned");
  EXPECT_EQ(report["fds"], nlohmann::json::array({0, 1, 2}));
  auto paths = report["paths"];
  EXPECT_EQ(paths["/proc/keys"]["type"], "c") << "masked with /dev/null";
  EXPECT_EQ(paths["/proc/timer_list"]["type"], "c") << "masked with /dev/null";
  EXPECT_EQ(paths["/sys/firmware"]["entries"], 0) << "masked with an empty tmpfs";
  EXPECT_EQ(paths["/proc/sys"]["rdonly"], true);
}

TEST_F(PlannedPodTest, HardenedSecurityContext) {
  auto report = run("hardened");
  EXPECT_EQ(report["uid"], 1000);
  EXPECT_EQ(report["gid"], 1000);
  EXPECT_EQ(report["no_new_privs"], 1);
  EXPECT_EQ(report["seccomp"], 2);
  EXPECT_EQ(cap_mask(report["caps"]["bnd"]), bit(CAP_NET_BIND_SERVICE));
  EXPECT_EQ(cap_mask(report["caps"]["eff"]), 0u)
      << "a non-root workload starts without effective capabilities";
  EXPECT_EQ(report["cwd"], "/srv");
  EXPECT_EQ(report["paths"].size(), 0u);
  bool root_read_only = false;
  for (const auto& m : report["mounts"])
    if (m["mount_point"] == "/")
      root_read_only = ("," + m["options"].get<std::string>() + ",").find(",ro,") != std::string::npos;
  EXPECT_TRUE(root_read_only) << "readOnlyRootFilesystem";
}

// procMount: Unmasked (Kubernetes allows it with hostUsers: false only): nothing of
// /proc or /sys is masked or made read-only; /sys itself stays read-only.
TEST_F(PlannedPodTest, ProcMountUnmasked) {
  auto report = run("unmasked");
  auto paths = report["paths"];
  EXPECT_EQ(paths["/proc/keys"]["type"], "f") << "masked: " << paths["/proc/keys"].dump();
  EXPECT_EQ(paths["/proc/timer_list"]["type"], "f") << "masked: " << paths["/proc/timer_list"].dump();
  EXPECT_GT(paths["/sys/firmware"]["entries"], 0) << "masked: " << paths["/sys/firmware"].dump();
  EXPECT_EQ(paths["/proc/sys"]["rdonly"], false);
  EXPECT_EQ(paths["/sys"]["rdonly"], true);
  EXPECT_EQ(report["seccomp"], 2) << "Unmasked changes /proc only";
}

// privileged: every capability this host can grant, no seccomp filter, nothing
// masked, /sys writable.
TEST_F(PlannedPodTest, Privileged) {
  auto report = run("privileged");
  uint64_t bounding = cap_mask(report["caps"]["bnd"]);
  std::ifstream status("/proc/self/status");
  std::string line;
  uint64_t own = 0;
  while (std::getline(status, line))
    if (line.rfind("CapBnd:", 0) == 0) own = std::stoull(line.substr(7), nullptr, 16);
  EXPECT_EQ(bounding, own) << "all of the test's own capabilities";
  EXPECT_EQ(cap_mask(report["caps"]["eff"]), own);
  EXPECT_EQ(report["seccomp"], 0);
  auto paths = report["paths"];
  EXPECT_EQ(paths["/proc/keys"]["type"], "f") << "masked: " << paths["/proc/keys"].dump();
  EXPECT_EQ(paths["/sys"]["rdonly"], false);
  EXPECT_EQ(paths["/proc/sys"]["rdonly"], false);
}

}  // namespace
}  // namespace podlet::test
