#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

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
  {
    Rollback r;
    r.push([&] { order += "a"; });
    r.push([&] { throw Error("undo failed"); });
    r.push([&] { order += "c"; });
  }
  EXPECT_EQ(order, "ca");
  {
    Rollback r;
    r.push([&] { order += "x"; });
    r.dismiss();
  }
  EXPECT_EQ(order, "ca");
}

}  // namespace
}  // namespace podlet
