// The workload's process: identity (numeric and image user names), runAsNonRoot,
// working directory, and how a failure before exec is reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/container.h"
#include "runtime_test.h"

namespace podlet::test {
namespace {

using ::testing::HasSubstr;

class ProcessTest : public RuntimeTest {
 protected:
  void SetUp() override { pod.start(); }
  Pod pod{sandbox, "proc", image};
};

TEST_F(ProcessTest, UserNameResolvedFromTheImage) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.user = "app";
  auto report = pod.probe(spec);
  EXPECT_EQ(report["uid"], 1000);
  EXPECT_EQ(report["euid"], 1000);
  EXPECT_EQ(report["gid"], 1000);
  EXPECT_EQ(report["groups"], nlohmann::json::array({2000})) << "membership from the image's /etc/group";
  EXPECT_EQ(report["home"], "/home/app");
  // A non-root workload keeps the bounding set but no effective capabilities (as Podman).
  EXPECT_EQ(cap_mask(report["caps"]["eff"]), 0u);
  EXPECT_EQ(cap_mask(report["caps"]["prm"]), 0u);
  EXPECT_EQ(cap_mask(report["caps"]["amb"]), 0u);
  EXPECT_NE(cap_mask(report["caps"]["bnd"]), 0u);
}

TEST_F(ProcessTest, NumericIdsAndSupplementalGroups) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.uid = 1234;
  spec.process.gid = 5678;
  spec.process.supplemental_groups = {3000, 3001};
  auto report = pod.probe(spec);
  EXPECT_EQ(report["uid"], 1234);
  EXPECT_EQ(report["gid"], 5678);
  EXPECT_EQ(report["egid"], 5678);
  EXPECT_EQ(report["groups"], nlohmann::json::array({3000, 3001}));
  EXPECT_EQ(report["home"], "/") << "a uid without a passwd entry";
}

TEST_F(ProcessTest, UnknownUserNameIsAClearError) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.user = "ghost";
  Started started = pod.start_container(spec);
  EXPECT_EQ(started.podlet_exit, runtime::kExitSetupFailed);
  EXPECT_THAT(started.podlet_stderr, HasSubstr("container c"));
  EXPECT_THAT(started.podlet_stderr, HasSubstr("\"ghost\" not found in the image's /etc/passwd"));
}

TEST_F(ProcessTest, RunAsNonRootRefusesUid0) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.run_as_non_root = true;
  Started started = pod.start_container(spec);
  EXPECT_EQ(started.pid, -1) << "the workload ran";
  EXPECT_EQ(started.podlet_exit, runtime::kExitSetupFailed);
  EXPECT_THAT(started.podlet_stderr, HasSubstr("container c"));
  EXPECT_THAT(started.podlet_stderr, HasSubstr("runAsNonRoot"));
  EXPECT_THAT(started.podlet_stderr, HasSubstr("uid 0"));
  EXPECT_EQ(read_text(started.stdout_path), "");

  spec.process.user = "app";
  EXPECT_EQ(pod.probe(spec)["uid"], 1000) << "runAsNonRoot lets a non-root user run";
}

TEST_F(ProcessTest, WorkingDirectoryIsCreatedInsideTheRoot) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.cwd = "/srv/data";
  EXPECT_EQ(pod.probe(spec)["cwd"], "/srv/data");
  EXPECT_EQ(pod.probe("c2", {"report"})["cwd"], "/");
}

// The runtime owns no defaults: the planner always gives a working directory and a
// root mount point, and a spec without them is refused before anything is created.
TEST_F(ProcessTest, SpecWithoutWorkingDirectoryOrRootMountPointIsRefused) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.cwd.clear();
  Started started = pod.start_container(spec);
  EXPECT_EQ(started.podlet_exit, runtime::kExitSetupFailed);
  EXPECT_THAT(started.podlet_stderr, HasSubstr("process.cwd: \"\" is not an absolute path"));

  spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.root.rootfs = "relative/rootfs";
  started = pod.start_container(spec);
  EXPECT_EQ(started.podlet_exit, runtime::kExitSetupFailed);
  EXPECT_THAT(started.podlet_stderr, HasSubstr("root.rootfs: \"relative/rootfs\" is not an absolute path"));
}

TEST_F(ProcessTest, MissingExecutableIsReportedWithContainerStepAndErrno) {
  Started started = pod.start_container(pod.container_spec("web", {"/usr/bin/does-not-exist", "--flag"}));
  EXPECT_EQ(started.pid, -1);
  EXPECT_EQ(started.podlet_exit, runtime::kExitNotFound);
  EXPECT_THAT(started.podlet_stderr, HasSubstr("container web"));
  EXPECT_THAT(started.podlet_stderr, HasSubstr("exec /usr/bin/does-not-exist"));
  EXPECT_THAT(started.podlet_stderr, HasSubstr("No such file or directory"));
}

TEST_F(ProcessTest, CommandNotInPathIsNotFound) {
  Started started = pod.start_container(pod.container_spec("web", {"no-such-command"}));
  EXPECT_EQ(started.podlet_exit, runtime::kExitNotFound);
  EXPECT_THAT(started.podlet_stderr, HasSubstr("container web"));
  EXPECT_THAT(started.podlet_stderr, HasSubstr("no-such-command: executable file not found in $PATH"));
}

TEST_F(ProcessTest, NonExecutableFileCannotExecute) {
  Started started = pod.start_container(pod.container_spec("web", {"/etc/passwd"}));
  EXPECT_EQ(started.podlet_exit, runtime::kExitCannotExec);
  EXPECT_THAT(started.podlet_stderr, HasSubstr("container web"));
  EXPECT_THAT(started.podlet_stderr, HasSubstr("exec /etc/passwd"));
  EXPECT_THAT(started.podlet_stderr, HasSubstr("Permission denied"));
}

TEST_F(ProcessTest, CommandFoundThroughTheWorkloadsPath) {
  auto spec = pod.container_spec("c", {"podlet-probe", "report"});
  spec.process.env = {"PATH=/usr/bin", "HOME=/custom"};
  auto report = pod.probe(spec);
  EXPECT_EQ(report["path_env"], "/usr/bin");
  EXPECT_EQ(report["home"], "/custom");
}

}  // namespace
}  // namespace podlet::test
