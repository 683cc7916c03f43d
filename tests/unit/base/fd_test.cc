#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "base/scope_guard.h"

namespace podlet {
namespace {

TEST(UniqueFd, ClosesOnDestructionAndReleaseHandsOwnershipOut) {
  int raw;
  {
    UniqueFd fd = open_fd("/dev/null", O_RDONLY);
    raw = fd.get();
    EXPECT_GE(raw, 0);
    EXPECT_TRUE(fcntl(raw, F_GETFD) & FD_CLOEXEC);
  }
  EXPECT_EQ(fcntl(raw, F_GETFD), -1);
  UniqueFd fd = open_fd("/dev/null", O_RDONLY);
  int released = fd.release();
  EXPECT_FALSE(fd.valid());
  EXPECT_EQ(close(released), 0);
}

TEST(UniqueFd, OpenErrorNamesPathAndErrno) {
  try {
    open_fd("/nonexistent/podlet", O_RDONLY);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "open /nonexistent/podlet: No such file or directory");
    EXPECT_EQ(e.error_number(), ENOENT);
  }
}

TEST(AtomicFile, WritesAndReplacesWithoutLeavingTempFiles) {
  char tmpl[] = "/tmp/podlet-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  write_file_atomic(dir + "/f", "one");
  write_file_atomic(dir + "/f", "two", 0600);
  EXPECT_EQ(read_file(dir + "/f"), "two");
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) (void)e, ++n;
  EXPECT_EQ(n, 1);
  EXPECT_EQ(std::filesystem::status(dir + "/f").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove_all(dir);
}

TEST(Rollback, RunsUndoStepsNewestFirstUnlessDismissed) {
  std::string order;
  std::vector<std::string> reported;
  auto report = [&](const std::string& m) { reported.push_back(m); };
  {
    Rollback r(report);
    r.push("a", [&] { order += "a"; });
    r.push("bridge podlet0", [&] { throw Error("delete link podlet0: EBUSY"); });
    r.push("c", [&] { order += "c"; });
  }
  EXPECT_EQ(order, "ca");
  EXPECT_EQ(reported, std::vector<std::string>{"bridge podlet0 left behind: delete link podlet0: EBUSY"});
  {
    Rollback r(report);
    r.push("x", [&] { order += "x"; });
    r.dismiss();
  }
  EXPECT_EQ(order, "ca");
  EXPECT_EQ(reported.size(), 1u);
}

TEST(Rollback, AFailingReportDoesNotStopTheOtherSteps) {
  std::string order;
  {
    Rollback r([](const std::string&) { throw std::runtime_error("log closed"); });
    r.push("a", [&] { order += "a"; });
    r.push("b", [] { throw 42; });
  }
  EXPECT_EQ(order, "a");
}

TEST(ScopeGuard, ReportsWhatAFailedUndoLeftBehind) {
  std::vector<std::string> reported;
  {
    ScopeGuard g(
        "temp file /x.tmp", [] { throw system_error("unlink /x.tmp", EACCES); },
        [&](const std::string& m) { reported.push_back(m); });
  }
  EXPECT_EQ(reported,
            std::vector<std::string>{"temp file /x.tmp left behind: unlink /x.tmp: Permission denied"});
  {
    ScopeGuard g(
        "nothing", [] { throw Error("not run"); }, [&](const std::string& m) { reported.push_back(m); });
    g.dismiss();
  }
  EXPECT_EQ(reported.size(), 1u);
}

}  // namespace
}  // namespace podlet
