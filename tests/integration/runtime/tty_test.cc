// tty: true: the workload's fds 0-2 are a pty of the container's own devpts and its
// controlling terminal; the container entrypoint stays as the terminal's relay
// (runtime/tty_relay.h): it drains the output into its stdout, forwards SIGTERM, holds
// nothing but what it needs, and leaves once the workload exited.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime_test.h"

namespace podlet::test {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

class TtyTest : public RuntimeTest {
 protected:
  void SetUp() override { pod.start(); }

  plan::ContainerSpec tty_spec(const std::string& name, std::vector<std::string> args) {
    auto spec = pod.container_spec(name, std::move(args));
    spec.process.tty = true;
    return spec;
  }

  Pod pod{sandbox, "tty", image};
};

TEST_F(TtyTest, WorkloadHasAPtyOfTheContainersDevptsAsControllingTerminal) {
  auto spec = tty_spec("c", {"/usr/bin/podlet-probe", "tty"});
  spec.process.user = "app";
  auto report = pod.probe(spec);
  ASSERT_FALSE(report.is_null()) << "the relay wrote the workload's output to its stdout";
  EXPECT_EQ(report["isatty"], nlohmann::json::array({true, true, true}));
  EXPECT_EQ(report["ttyname"], "/dev/pts/0") << "the first pty of the container's own devpts";
  EXPECT_EQ(report["in_dev_pts"], true);
  EXPECT_EQ(report["session_leader"], true);
  EXPECT_EQ(report["foreground"], true);
  EXPECT_EQ(report["dev_tty"], "ok") << "a controlling terminal";
  EXPECT_EQ(report["rows"], 24);
  EXPECT_EQ(report["cols"], 80);
  EXPECT_EQ(report["onlcr"], false) << "lines reach the journal without \\r";
  EXPECT_EQ(report["owner_uid"], 1000) << "the terminal belongs to the workload's user";
}

TEST_F(TtyTest, WithoutTtyNoTerminalAndTheEntrypointLeaves) {
  auto report = pod.probe("c", {"tty"});
  EXPECT_EQ(report["isatty"], nlohmann::json::array({false, false, false}));
  EXPECT_EQ(report["dev_tty"], "ENXIO");
}

TEST_F(TtyTest, LargeOutputIsDrainedAndTheExitStatusKept) {
  auto spec =
      tty_spec("flood", {"/bin/sh", "-c", "yes 0123456789abcdef | head -c 300000; echo; echo done; exit 7"});
  Started started = pod.start_container(spec);
  ASSERT_EQ(started.podlet_exit, 0) << started.podlet_stderr;
  ASSERT_GT(started.pid, 0);
  auto exited = sandbox.wait_exit(started.pid, 120s);
  ASSERT_TRUE(exited);
  EXPECT_EQ(exited->exit_code(), 7);
  std::string out = read_text(started.stdout_path);
  EXPECT_GE(out.size(), 300000u);
  EXPECT_THAT(out, EndsWith("\ndone\n")) << "everything, up to the last line, without \\r";
}

TEST_F(TtyTest, RelayForwardsSigtermAndHoldsNothingElse) {
  auto spec = tty_spec("sleeper", {"/usr/bin/podlet-probe", "sleep"});
  std::string path = sandbox.dir() + "/container-sleeper.json";
  std::ofstream(path) << nlohmann::json(spec).dump();
  std::string out = sandbox.dir() + "/sleeper.out", err = sandbox.dir() + "/sleeper.err";
  pid_t podlet = sandbox.spawn({PODLET_BINARY, "internal", "container", "--spec", path}, out, err);
  auto notified = sandbox.wait_ready(podlet, 120s);
  ASSERT_TRUE(notified && notified->count("MAINPID")) << read_text(err);
  pid_t workload = std::stoi(notified->at("MAINPID"));
  sandbox.adopt(workload);
  ASSERT_NE(workload, podlet) << "the workload, not the relay, is the main process";

  // The relay holds stdin/stdout/stderr, the master, the workload's pidfd and its
  // signalfd, which it creates last: once that is there, it has set itself up.
  std::string proc = "/proc/" + std::to_string(podlet);
  auto fd_targets = [&] {
    std::vector<std::string> targets;
    for (const auto& e : std::filesystem::directory_iterator(proc + "/fd")) {
      std::error_code ec;
      targets.push_back(std::filesystem::read_symlink(e.path(), ec).string());
    }
    return targets;
  };
  auto has_signalfd = [](const std::vector<std::string>& targets) {
    for (const auto& t : targets)
      if (t.find("signalfd") != std::string::npos) return true;
    return false;
  };
  for (int i = 0; i < 600 && !has_signalfd(fd_targets()); ++i) usleep(100000);
  auto targets = fd_targets();
  ASSERT_TRUE(has_signalfd(targets)) << "the relay did not set itself up";
  EXPECT_EQ(targets.size(), 6u) << ::testing::PrintToString(targets);
  std::string status = read_text(proc + "/status");
  EXPECT_THAT(status, HasSubstr("NoNewPrivs:\t1"));
  EXPECT_THAT(status, HasSubstr("CapEff:\t0000000000000020")) << "CAP_KILL only";
  EXPECT_THAT(status, HasSubstr("CapBnd:\t0000000000000020"));

  // The workload is its pid namespace's init: a SIGTERM that comes before its handler is
  // installed is dropped, as the kernel does for any init. It prints once it listens.
  for (int i = 0; i < 600 && read_text(out).find("\"sleeping\"") == std::string::npos; ++i)
    usleep(100000);
  ASSERT_THAT(read_text(out), HasSubstr("\"sleeping\"")) << "the workload never got ready";
  ASSERT_EQ(::kill(podlet, SIGTERM), 0);
  auto workload_exit = sandbox.wait_exit(workload, 60s);
  ASSERT_TRUE(workload_exit) << "SIGTERM reached the workload";
  EXPECT_EQ(workload_exit->exit_code(), 0);
  auto relay_exit = sandbox.wait_exit(podlet, 60s);
  ASSERT_TRUE(relay_exit);
  EXPECT_EQ(relay_exit->exit_code(), 0) << read_text(err);
}

}  // namespace
}  // namespace podlet::test
