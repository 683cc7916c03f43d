// The kubelet's rules for a probe's results (pkg/kubelet/prober/worker.go), one check at a time.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "probe/probe_state.h"

namespace podlet::probe {
namespace {

plan::ProbeSpec spec(const std::string& kind, int success, int failure) {
  plan::ProbeSpec s;
  s.kind = kind;
  s.success_threshold = success;
  s.failure_threshold = failure;
  return s;
}

TEST(ProbeState, InitialResultsAreTheKubelets) {
  EXPECT_EQ(initial_state("readiness", "1@2").result, "failure");
  EXPECT_EQ(initial_state("liveness", "1@2").result, "success");
  EXPECT_EQ(initial_state("startup", "1@2").result, "unknown");
  EXPECT_EQ(initial_state("startup", "1@2").run, "1@2");
}

TEST(ProbeState, ReadinessFlipsOnlyWhenAStreakReachesItsThreshold) {
  auto s = spec("readiness", 2, 3);
  auto st = initial_state("readiness", "r");
  EXPECT_EQ(record(st, s, Result::success, "", 1), Verdict::unchanged);
  EXPECT_EQ(st.result, "failure") << "one success of two";
  EXPECT_EQ(record(st, s, Result::success, "", 2), Verdict::changed);
  EXPECT_EQ(st.result, "success");
  EXPECT_EQ(record(st, s, Result::failure, "refused", 3), Verdict::unchanged);
  EXPECT_EQ(record(st, s, Result::success, "", 4), Verdict::unchanged)
      << "a success breaks the failure streak";
  EXPECT_EQ(record(st, s, Result::failure, "refused", 5), Verdict::unchanged);
  EXPECT_EQ(record(st, s, Result::failure, "refused", 6), Verdict::unchanged);
  EXPECT_EQ(st.result, "success");
  EXPECT_EQ(record(st, s, Result::failure, "refused", 7), Verdict::changed);
  EXPECT_EQ(st.result, "failure");
  EXPECT_EQ(st.message, "refused");
  EXPECT_EQ(st.checked_usec, 7u);
  EXPECT_FALSE(st.stopped) << "readiness never stops probing";
}

TEST(ProbeState, LivenessFailureKillsOnceAndHoldsUntilANewRun) {
  auto s = spec("liveness", 1, 2);
  auto st = initial_state("liveness", "r");
  EXPECT_EQ(record(st, s, Result::failure, "exit 1", 1), Verdict::unchanged);
  EXPECT_EQ(record(st, s, Result::failure, "exit 1", 2), Verdict::kill);
  EXPECT_EQ(st.result, "failure");
  EXPECT_TRUE(st.stopped);
  EXPECT_EQ(st.streak, 0) << "the kubelet resets the streak when it holds the probe";
}

TEST(ProbeState, StartupSuccessStopsTheProbeAndItsFailureKills) {
  auto s = spec("startup", 1, 3);
  auto st = initial_state("startup", "r");
  EXPECT_EQ(record(st, s, Result::failure, "refused", 1), Verdict::unchanged);
  EXPECT_EQ(st.result, "unknown");
  EXPECT_EQ(record(st, s, Result::success, "", 2), Verdict::changed);
  EXPECT_EQ(st.result, "success");
  EXPECT_TRUE(st.stopped);

  auto failing = initial_state("startup", "r");
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(record(failing, s, Result::failure, "refused", 1), Verdict::unchanged);
  EXPECT_EQ(record(failing, s, Result::failure, "refused", 1), Verdict::kill);
}

TEST(ProbeState, FilesRoundTripAndATornOneReadsAsNone) {
  std::string dir = ::testing::TempDir() + "/probe-state-" + std::to_string(::getpid());
  auto st = initial_state("readiness", "12@34");
  st.message = "HTTP probe failed with statuscode: 500";
  std::string path = state_path(dir, "web", "readiness");
  EXPECT_EQ(path, dir + "/probes/web.readiness.json");
  write_state(path, st);
  auto back = read_state(path);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->run, "12@34");
  EXPECT_EQ(back->message, st.message);
  EXPECT_FALSE(read_state(dir + "/probes/none.json"));
  std::FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("{\"run\": ", f);
  std::fclose(f);
  EXPECT_FALSE(read_state(path));

  ProbeRestarts r{.count = 2, .reason = "Error", .message = "m", .exit_code = 137};
  write_restarts(restarts_path(dir, "web"), r);
  auto rb = read_restarts(restarts_path(dir, "web"));
  ASSERT_TRUE(rb);
  EXPECT_EQ(rb->count, 2u);
  EXPECT_EQ(rb->exit_code, 137);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace podlet::probe
