// The place a runtime test runs in: a private mount namespace (so nothing the
// infra or a container mounts reaches the host) with its own /tmp, a tmpfs on a
// fresh directory there holding everything the test writes, and every process the
// test started, killed and reaped when the Sandbox goes, even after a failed
// assertion. The test process itself is PID 1 of a pid namespace (sandbox.cc):
// whatever it started dies with it even when it is killed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/fd.h"

namespace podlet::test {

using namespace std::chrono_literals;

// What a spawned process reported on its NOTIFY_SOCKET (sd_notify), and how it ended.
struct Exited {
  int status = 0;                               // wait status
  std::map<std::string, std::string> notified;  // READY=1, MAINPID=123
  int exit_code() const;                        // -1 when killed by a signal
};

class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::string& dir() const { return dir_; }

  // Starts argv with stdout/stderr appended to the given files and NOTIFY_SOCKET
  // pointing to a socket of its own. The process is killed at teardown.
  pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err);

  // Waits for a started process to send READY=1 or to exit, whichever comes
  // first; returns what it notified. nullopt: neither within the timeout.
  std::optional<std::map<std::string, std::string>> wait_ready(pid_t pid, std::chrono::seconds timeout);

  // Waits for a child (also one handed to us through CLONE_PARENT) to exit and
  // reaps it. nullopt: still running after the timeout.
  std::optional<Exited> wait_exit(pid_t pid, std::chrono::seconds timeout);

  // Adds a child the test did not spawn itself (CLONE_PARENT workloads, a pod's PID 1).
  void adopt(pid_t pid);

  // SIGTERM, then SIGKILL after `grace`; reaps. Safe on a process already gone.
  void stop(pid_t pid, std::chrono::seconds grace = 10s);

 private:
  void read_notifications(pid_t pid);

  std::string dir_;
  std::map<pid_t, UniqueFd> notify_sockets_;
  std::map<pid_t, std::map<std::string, std::string>> notified_;
  std::vector<pid_t> children_;
  int next_socket_ = 0;
};

std::string read_text(const std::string& path);

}  // namespace podlet::test
