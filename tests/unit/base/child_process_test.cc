// ChildProcess: wait() returns the child's status; an owner that goes out of scope
// without waiting kills and reaps its child.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "base/child_process.h"
#include "base/error.h"

namespace podlet {
namespace {

// True while `pid` is a child of ours, running or a zombie (waitid neither blocks nor reaps).
bool unreaped(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

TEST(ChildProcess, WaitReturnsTheExitStatus) {
  auto child = ChildProcess::fork([] { ::_exit(3); });
  EXPECT_TRUE(child.running());
  EXPECT_GT(child.pid(), 0);
  EXPECT_GE(child.pidfd(), 0);
  int status = child.wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_EQ(exit_status(status), 3);
  EXPECT_FALSE(child.running());
  EXPECT_EQ(child.kill(SIGTERM), -ESRCH);
  EXPECT_THROW(child.wait(), Error);
}

TEST(ChildProcess, ABodyThatReturnsLeavesWith127) {
  auto child = ChildProcess::fork([] {});
  EXPECT_EQ(exit_status(child.wait()), 127);
}

TEST(ChildProcess, KilledChildReports128PlusSignal) {
  auto child = ChildProcess::fork([] {
    ::pause();
    ::_exit(0);
  });
  EXPECT_EQ(child.kill(SIGTERM), 0);
  int status = child.wait();
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(exit_status(status), 128 + SIGTERM);
}

TEST(ChildProcess, UnwindingKillsAndReapsTheChild) {
  pid_t pid = -1;
  try {
    auto child = ChildProcess::fork([] {
      ::pause();
      ::_exit(0);
    });
    pid = child.pid();
    ASSERT_TRUE(unreaped(pid));
    throw std::runtime_error("unwind");
  } catch (const std::runtime_error&) {
  }
  ASSERT_GT(pid, 0);
  // Reaped: no longer our child, neither running nor a zombie.
  EXPECT_FALSE(unreaped(pid));
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(ChildProcess, MovingHandsTheChildOver) {
  auto first = ChildProcess::fork([] { ::_exit(5); });
  pid_t pid = first.pid();
  ChildProcess second = std::move(first);
  EXPECT_FALSE(first.running());
  EXPECT_EQ(second.pid(), pid);
  EXPECT_EQ(exit_status(second.wait()), 5);
}

TEST(ChildProcess, AdoptsAForkedPid) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(9);
  ChildProcess child(pid);
  EXPECT_EQ(exit_status(child.wait()), 9);
}

}  // namespace
}  // namespace podlet
