// runtime::start_exec, podlet exec without systemd: the command runs in the workload's
// namespaces, root, working directory and identity, its exit status is exec's, and a
// failure in the container (in the intermediate process or in the command's own
// setup) comes back through the child_report pipe as ExecError with its step and
// exit code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>

#include "runtime/container.h"
#include "runtime/exec.h"
#include "runtime_test.h"

namespace podlet::test {
namespace {

using ::testing::HasSubstr;

std::string namespace_link(pid_t pid, const char* kind) {
  char buf[PATH_MAX] = {};
  std::string path = "/proc/" + std::to_string(pid) + "/ns/" + kind;
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

class ExecTest : public RuntimeTest {
 protected:
  void SetUp() override {
    pod.start();
    spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "sleep"});
    spec.process.user = "app";
    spec.process.cwd = "/srv";
    Started started = pod.start_container(spec);
    ASSERT_GT(started.pid, 0) << started.podlet_stderr;
    target.pid = started.pid;
    target.spec = spec;
  }

  int run(std::vector<std::string> argv) {
    auto exec = runtime::start_exec(target, runtime::ExecOptions{std::move(argv)});
    return runtime::wait_exec(exec);
  }

  // The ExecError start_exec throws for argv (the test fails when it does not).
  runtime::ExecError failure(std::vector<std::string> argv) {
    try {
      auto exec = runtime::start_exec(target, runtime::ExecOptions{std::move(argv)});
      ADD_FAILURE() << "exec started; its status: " << runtime::wait_exec(exec);
    } catch (const runtime::ExecError& e) {
      return e;
    }
    return runtime::ExecError("", 0, 0);
  }

  Pod pod{sandbox, "exec", image};
  plan::ContainerSpec spec;
  runtime::ExecTarget target;
};

TEST_F(ExecTest, CommandRunsInTheWorkloadsNamespacesRootCwdAndIdentity) {
  const char* script =
      "test \"$(id -u):$(id -g)\" = 1000:1000 || exit 10; test \"$(pwd)\" = /srv || exit 11; "
      "test \"$(readlink /proc/self/ns/mnt)\" = \"$1\" || exit 12; "
      "test \"$(readlink /proc/self/ns/pid)\" = \"$2\" || exit 13; "
      "test \"$(readlink /proc/self/ns/net)\" = \"$3\" || exit 14; "
      "test -x /usr/bin/podlet-probe || exit 15; exit 42";
  EXPECT_EQ(run({"sh", "-c", script, "sh", namespace_link(target.pid, "mnt"),
                 namespace_link(target.pid, "pid"), namespace_link(target.pid, "net")}),
            42)
      << "10 identity, 11 cwd, 12-14 namespaces, 15 root";
}

TEST_F(ExecTest, KilledCommandIs128PlusSignal) {
  EXPECT_EQ(run({"sh", "-c", "kill -9 $$"}), 128 + 9);
}

TEST_F(ExecTest, MissingProgramIs127WithTheStep) {
  auto e = failure({"/no/such/program"});
  EXPECT_EQ(e.exit_code(), runtime::kExitNotFound);
  EXPECT_THAT(e.what(), HasSubstr("exec /no/such/program: No such file or directory"));
  e = failure({"no-such-program"});
  EXPECT_EQ(e.exit_code(), runtime::kExitNotFound);
  EXPECT_THAT(e.what(), HasSubstr("no-such-program: executable file not found in $PATH"));
  EXPECT_EQ(run({"true"}), 0) << "found on the container's PATH";
}

TEST_F(ExecTest, NotExecutableIs126) {
  auto e = failure({"/etc/passwd"});
  EXPECT_EQ(e.exit_code(), runtime::kExitCannotExec);
  EXPECT_THAT(e.what(), HasSubstr("exec /etc/passwd"));
}

TEST_F(ExecTest, IntermediateProcessFailureIs125WithTheStep) {
  target.control_group = "/podlet-test-no-such-cgroup";
  auto e = failure({"true"});
  EXPECT_EQ(e.exit_code(), runtime::kExitSetupFailed);
  EXPECT_THAT(e.what(), HasSubstr("join cgroup"));
  EXPECT_THAT(e.what(), HasSubstr("podlet-test-no-such-cgroup/cgroup.procs: No such file or directory"));
}

}  // namespace
}  // namespace podlet::test
