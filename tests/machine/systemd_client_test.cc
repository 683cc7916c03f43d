// The systemd layer against a real systemd: runs inside the throwaway machine
// (tests/machine/CMakeLists.txt), where it starts real transient units over D-Bus.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/scope_guard.h"
#include "plan/unit_names.h"
#include "systemd/journal.h"
#include "systemd/manager.h"
#include "systemd/unit_file.h"

namespace podlet::systemd {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Unit names unique to this run, so a rerun in the same machine never meets old units.
// No '-' after the prefix: it would nest slices.
std::string unit_name(const std::string& what, const char* suffix = ".service") {
  static int counter = 0;
  return fmt::format("podlet-mt{}x{}_{}{}", getpid(), ++counter, what, suffix);
}

std::string run(const std::string& command) {
  std::string out;
  FILE* f = popen(command.c_str(), "r");
  if (!f) throw system_error("popen " + command);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string show(const std::string& unit, const std::string& property) {
  return run(fmt::format("systemctl show -p {} --value '{}'", property, unit));
}

template <typename Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout = 30s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

class SystemdClient : public ::testing::Test {
 protected:
  // Whatever a test started is stopped and forgotten, even when the test fails.
  void TearDown() override {
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
      try {
        manager_.stop(*it, 30s);
      } catch (const Error& e) {
        ADD_FAILURE() << "cleanup: " << e.what();
      }
      try {
        manager_.reset_failed(*it);
      } catch (const Error&) {
      }
    }
  }

  plan::UnitSpec service(const std::string& what, std::vector<std::string> argv) {
    plan::UnitSpec s;
    s.name = unit_name(what);
    s.description = "podlet machine test " + what;
    s.type = "exec";
    s.exec_start = std::move(argv);
    s.timeout_stop_usec = 10'000'000;
    return s;
  }

  void start(const plan::UnitSpec& spec) {
    started_.push_back(spec.name);
    manager_.start_transient(spec);
  }

  Manager manager_;
  std::vector<std::string> started_;
};

TEST_F(SystemdClient, StartsAServiceWithItsPropertiesAndStopsIt) {
  auto s = service("sleeper", {"/bin/sleep", "1000"});
  s.memory_max = 64 * 1024 * 1024;
  s.tasks_max = 32;
  s.cpu_quota_per_sec_usec = 200'000;
  s.cpu_weight = 50;
  s.restart = "always";
  s.restart_usec = 500'000;
  s.kill_signal = "SIGINT";
  start(s);

  auto st = manager_.status(s.name);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->active_state, "active");
  EXPECT_EQ(st->sub_state, "running");
  EXPECT_EQ(st->load_state, "loaded");
  EXPECT_GT(st->main_pid, 0u);
  EXPECT_GT(st->active_enter_timestamp_usec, 0u);
  EXPECT_THAT(st->control_group, HasSubstr(s.name));
  EXPECT_EQ(run(fmt::format("cat /proc/{}/comm", st->main_pid)), "sleep");

  EXPECT_EQ(show(s.name, "MemoryMax"), "67108864");
  EXPECT_EQ(show(s.name, "TasksMax"), "32");
  EXPECT_EQ(show(s.name, "CPUQuotaPerSecUSec"), "200ms");
  EXPECT_EQ(show(s.name, "CPUWeight"), "50");
  EXPECT_EQ(show(s.name, "Restart"), "always");
  EXPECT_EQ(show(s.name, "RestartUSec"), "500ms");
  EXPECT_EQ(show(s.name, "TimeoutStopUSec"), "10s");
  EXPECT_EQ(show(s.name, "KillSignal"), std::to_string(SIGINT));
  EXPECT_EQ(show(s.name, "Description"), s.description);

  EXPECT_TRUE(manager_.stop(s.name));
  auto after = manager_.status(s.name);
  EXPECT_TRUE(!after || after->active_state == "inactive") << after->active_state;
  EXPECT_FALSE(manager_.stop(unit_name("never-started")));
}

TEST_F(SystemdClient, NotifyUnitHandsItsMainPidToTheWorkload) {
  // The container entrypoint's pattern: start the workload, report MAINPID= and READY=1
  // from the unit's main process, exit. systemd-notify is exec'd so it IS the main process.
  auto s = service("notify", {"/bin/sh", "-c", "sleep 1000 & exec systemd-notify --ready --pid=$!"});
  s.type = "notify";
  s.notify_access = "all";
  start(s);  // returns once READY=1 arrived

  auto st = manager_.status(s.name);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->active_state, "active");
  EXPECT_EQ(st->sub_state, "running");
  ASSERT_GT(st->main_pid, 0u);
  EXPECT_EQ(run(fmt::format("cat /proc/{}/comm", st->main_pid)), "sleep");
  // systemd notices the workload's death although it did not fork it.
  manager_.kill(s.name, SIGKILL, "main");
  EXPECT_TRUE(wait_until([&] {
    auto now = manager_.status(s.name);
    return !now || !now->is_active();
  }));
}

TEST_F(SystemdClient, FailedStartReportsTheUnitResult) {
  auto s = service("fails", {"/bin/sh", "-c", "echo about to fail; exit 3"});
  s.type = "oneshot";
  started_.push_back(s.name);
  try {
    manager_.start_transient(s);
    FAIL() << "a failing oneshot started";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(s.name));
    EXPECT_THAT(e.what(), HasSubstr("start job failed"));
    EXPECT_THAT(e.what(), HasSubstr("result exit-code"));
    EXPECT_THAT(e.what(), HasSubstr("status 3"));
  }
  auto st = manager_.status(s.name);
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->is_failed());
  EXPECT_EQ(st->result, "exit-code");
  EXPECT_EQ(st->exec_main_code, CLD_EXITED);
  EXPECT_EQ(st->exec_main_status, 3);

  EXPECT_TRUE(manager_.reset_failed(s.name));
  EXPECT_FALSE(manager_.status(s.name).has_value()) << "a reset failed transient unit is unloaded";
}

TEST_F(SystemdClient, MissingBinaryFailsTheStart) {
  auto s = service("nobinary", {"/nonexistent/podlet-test-binary"});
  started_.push_back(s.name);
  EXPECT_THROW(manager_.start_transient(s), Error);
  auto st = manager_.status(s.name);
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->is_failed());
}

TEST_F(SystemdClient, ExistingUnitIsAnError) {
  auto s = service("twice", {"/bin/sleep", "1000"});
  start(s);
  try {
    manager_.start_transient(s);
    FAIL() << "started a unit that exists";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("UnitExists"));
  }
}

TEST_F(SystemdClient, RestartsAreCountedAndLimited) {
  auto s = service("crashloop", {"/bin/sh", "-c", "exit 4"});
  // Type=simple: the start job is done at fork. (With Type=exec a process that exits at once
  // may fail the start job or not, depending on which event systemd handles first.)
  s.type = "simple";
  s.restart = "on-failure";
  s.restart_usec = 100'000;
  s.start_limit_interval_usec = 60'000'000;
  s.start_limit_burst = 3;
  start(s);
  std::optional<UnitStatus> st;
  ASSERT_TRUE(wait_until([&] {
    st = manager_.status(s.name);
    return st && st->is_failed();
  })) << "never hit the start limit";
  // systemd 252 keeps the last run's result when the start limit refuses an automatic
  // restart (a manual start gets "start-limit-hit").
  EXPECT_THAT(st->result, ::testing::AnyOf("exit-code", "start-limit-hit"));
  EXPECT_EQ(st->n_restarts, 3u) << "3 starts within the interval, then a refused restart";
  EXPECT_EQ(st->exec_main_code, CLD_EXITED);
  EXPECT_EQ(st->exec_main_status, 4);
}

TEST_F(SystemdClient, SliceHoldsItsServicesAndStopsThem) {
  plan::UnitSpec slice;
  slice.name = unit_name("my\\x2dpod", ".slice");
  slice.description = "podlet machine test pod";
  slice.memory_max = 128 * 1024 * 1024;
  start(slice);
  EXPECT_EQ(show(slice.name, "MemoryMax"), "134217728");

  auto s = service("inslice", {"/bin/sleep", "1000"});
  s.slice = slice.name;
  start(s);
  // The escaped dash keeps the pod's slice directly under podlet.slice.
  EXPECT_EQ(show(s.name, "ControlGroup"), fmt::format("/podlet.slice/{}/{}", slice.name, s.name));
  EXPECT_EQ(show(s.name, "Slice"), slice.name);

  EXPECT_TRUE(manager_.stop(slice.name));
  auto st = manager_.status(s.name);
  EXPECT_TRUE(!st || !st->is_active());
}

TEST_F(SystemdClient, ServiceBoundToInfraStopsWithIt) {
  auto infra = service("infra", {"/bin/sleep", "1000"});
  start(infra);
  auto app = service("app", {"/bin/sleep", "1000"});
  app.binds_to = {infra.name};
  app.after = {infra.name};
  start(app);
  ASSERT_TRUE(manager_.status(app.name)->is_active());

  manager_.kill(infra.name, SIGKILL, "main");
  EXPECT_TRUE(wait_until([&] {
    auto st = manager_.status(app.name);
    return !st || !st->is_active();
  })) << "the container outlived its infra";
}

TEST_F(SystemdClient, ListsUnitsByPattern) {
  auto a = service("lista", {"/bin/sleep", "1000"});
  auto b = service("listb", {"/bin/sleep", "1000"});
  start(a);
  start(b);
  std::vector<std::string> names;
  for (const auto& u : manager_.list_units({fmt::format("podlet-mt{}x*_list*", getpid())})) {
    names.push_back(u.name);
    EXPECT_EQ(u.active_state, "active");
  }
  EXPECT_THAT(names, ::testing::UnorderedElementsAre(a.name, b.name));
  EXPECT_THAT(manager_.list_units({a.name}, {"failed"}), ::testing::IsEmpty());
}

// The planner's names (plan/unit_names.h) are units systemd accepts, and a pod's slice sits
// directly under podlet.slice whatever dashes its name has, even at the longest names.
TEST_F(SystemdClient, PlannerNamesAreValidUnitsThatNestAsIntended) {
  const std::string ns = fmt::format("mt{}", getpid());
  for (const std::string& pod : {std::string("my-web-app"), std::string(240, 'a') + "-b-c"}) {
    SCOPED_TRACE(pod);
    auto names = plan::pod_unit_names(ns, pod);
    plan::UnitSpec slice;
    slice.name = names.slice;
    start(slice);
    auto infra = service("unused", {"/bin/sleep", "1000"});
    infra.name = names.infra;
    infra.slice = names.slice;
    start(infra);
    auto app = service("unused", {"/bin/sleep", "1000"});
    app.name = names.container(std::string(63, 'c'));
    app.slice = names.slice;
    app.binds_to = {names.infra};
    start(app);

    EXPECT_EQ(show(infra.name, "ControlGroup"), fmt::format("/podlet.slice/{}/{}", names.slice, infra.name));
    EXPECT_EQ(show(app.name, "ControlGroup"), fmt::format("/podlet.slice/{}/{}", names.slice, app.name));
    std::vector<std::string> listed;
    for (const auto& u : manager_.list_units({fmt::format("podlet-{}_*", ns)})) listed.push_back(u.name);
    EXPECT_THAT(listed, ::testing::IsSupersetOf({names.slice, names.infra, app.name}));

    EXPECT_TRUE(manager_.stop(names.slice));
    EXPECT_FALSE(manager_.status(app.name).has_value() && manager_.status(app.name)->is_active());
  }
}

// The same UnitSpec started as a transient unit and from its rendered unit file gives the
// same unit: what `play` runs is what `generate systemd` writes.
TEST_F(SystemdClient, TransientUnitAndUnitFileAgree) {
  auto base = service("rendering", {"/bin/sh", "-c", "echo \"$0 100%\"; exec sleep 1000", "a b"});
  base.binds_to = {"dbus.socket"};
  base.requires_units = {"basic.target"};
  base.wants = {"sysinit.target"};
  base.after = {"dbus.socket"};
  base.before = {"multi-user.target"};
  base.start_limit_interval_usec = 30'000'000;
  base.start_limit_burst = 9;
  base.restart = "on-failure";
  base.restart_usec = 1'500'000;
  base.timeout_start_usec = 45'000'000;
  base.timeout_stop_usec = 7'000'000;
  base.kill_mode = "mixed";
  base.kill_signal = "SIGINT";
  base.environment = {"A=1", "SPACED=x y", "PCT=50%"};
  base.syslog_identifier = "podlet-render";
  base.log_extra_fields = {{"PODLET_POD", "mt/render"}};
  base.memory_max = 33554432;
  base.cpu_quota_per_sec_usec = 125'000;
  base.cpu_weight = 30;
  base.tasks_max = 17;

  // Read the transient unit before the daemon-reload below: systemd 252 reloads transient
  // units from what it serialized, which truncates CPUQuota= to whole percent and garbles
  // '$' and ';' in ExecStart= argv.
  const char* compared[] = {"Type",
                            "NotifyAccess",
                            "Restart",
                            "RestartUSec",
                            "TimeoutStartUSec",
                            "TimeoutStopUSec",
                            "RemainAfterExit",
                            "KillMode",
                            "KillSignal",
                            "Environment",
                            "SyslogIdentifier",
                            "MemoryMax",
                            "CPUQuotaPerSecUSec",
                            "CPUWeight",
                            "TasksMax",
                            "StartLimitIntervalUSec",
                            "StartLimitBurst",
                            "BindsTo",
                            "Requires",
                            "Wants",
                            "Before",
                            "Description",
                            "ActiveState",
                            "SubState"};
  auto argv_of = [&](const std::string& unit) {
    auto exec = show(unit, "ExecStart");
    auto begin = exec.find("argv[]=");
    return exec.substr(begin, exec.find(" ;", begin) - begin);
  };
  auto transient = base;
  start(transient);
  std::map<std::string, std::string> transient_shows;
  for (const char* p : compared) transient_shows[p] = show(transient.name, p);
  std::string transient_argv = argv_of(transient.name);

  auto file = base;
  file.name = unit_name("renderingfile");
  std::string path = "/run/systemd/system/" + file.name;
  ScopeGuard remove(
      "unit file " + path,
      [&] {
        std::filesystem::remove(path);
        manager_.daemon_reload();
      },
      [](const std::string& m) { ADD_FAILURE() << m; });
  write_file_atomic(path, render_unit_file(file));
  manager_.daemon_reload();
  started_.push_back(file.name);
  manager_.start(file.name);

  // Lists come in no particular order.
  auto words = [](const std::string& s) {
    std::multiset<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.insert(w);
    return out;
  };
  for (const char* p : compared) EXPECT_EQ(words(transient_shows[p]), words(show(file.name, p))) << p;
  // Both run the same argv: the process sees it literally ($0, %, spaces).
  EXPECT_EQ(transient_argv, argv_of(file.name));
  EXPECT_EQ(transient_shows["CPUQuotaPerSecUSec"], "125ms");
  EXPECT_THAT(show(file.name, "After"), HasSubstr("dbus.socket"));
  EXPECT_THAT(show(transient.name, "After"), HasSubstr("dbus.socket"));
  EXPECT_EQ(show(file.name, "FragmentPath"), path);

  auto lines = [&](const std::string& unit) {
    std::vector<std::string> out;
    wait_until([&] {
      out.clear();
      for (const auto& e :
           read_journal({.matches = {{"_SYSTEMD_UNIT", unit}, {"SYSLOG_IDENTIFIER", "podlet-render"}}}))
        out.push_back(e.message);
      return !out.empty();
    });
    return out;
  };
  EXPECT_THAT(lines(transient.name), ::testing::ElementsAre("a b 100%"));
  EXPECT_THAT(lines(file.name), ::testing::ElementsAre("a b 100%"));
}

class JournalRead : public SystemdClient {
 protected:
  std::string pod_ = fmt::format("mt/pod{}", getpid());

  plan::UnitSpec container(const std::string& name, const std::string& script) {
    auto s = service(name, {"/bin/sh", "-c", script});
    s.log_extra_fields = {{"PODLET_POD", pod_}, {"PODLET_CONTAINER", name}};
    s.syslog_identifier = name;
    return s;
  }

  std::vector<JournalEntry> wait_entries(const JournalQuery& q, size_t n) {
    std::vector<JournalEntry> entries;
    wait_until([&] {
      entries = read_journal(q);
      return entries.size() >= n;
    });
    return entries;
  }

  static std::vector<std::string> messages(const std::vector<JournalEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.message);
    return out;
  }
};

TEST_F(JournalRead, ReadsAContainersOutputByPodletFields) {
  auto c1 = container("c1", "echo line-1; echo line-2; echo line-3 >&2");
  c1.type = "oneshot";
  start(c1);
  auto c2 = container("c2", "echo other");
  c2.type = "oneshot";
  start(c2);

  JournalQuery q{.matches = {{"PODLET_POD", pod_}, {"PODLET_CONTAINER", "c1"}}};
  auto entries = wait_entries(q, 3);
  ASSERT_THAT(messages(entries), ::testing::ElementsAre("line-1", "line-2", "line-3"));
  EXPECT_EQ(entries[0].field("_SYSTEMD_UNIT"), c1.name);
  EXPECT_EQ(entries[0].field("PODLET_CONTAINER"), "c1");
  EXPECT_EQ(entries[0].field("PODLET_POD"), pod_);
  EXPECT_EQ(entries[0].field("SYSLOG_IDENTIFIER"), "c1");
  EXPECT_EQ(entries[0].priority, 6);
  EXPECT_FALSE(entries[0].cursor.empty());
  EXPECT_GT(entries[0].realtime_usec, 0u);

  q.tail = 2;
  EXPECT_THAT(messages(read_journal(q)), ::testing::ElementsAre("line-2", "line-3"));
  q.tail = 10;
  EXPECT_THAT(messages(read_journal(q)), ::testing::ElementsAre("line-1", "line-2", "line-3"));
  q.tail.reset();
  q.since_realtime_usec = entries[2].realtime_usec;
  auto since = read_journal(q);
  EXPECT_THAT(messages(since), ::testing::Contains("line-3"));
  for (const auto& e : since) EXPECT_GE(e.realtime_usec, entries[2].realtime_usec) << e.message;
  q.since_realtime_usec = entries[0].realtime_usec;
  EXPECT_EQ(read_journal(q).size(), 3u);
  q.since_realtime_usec = entries[2].realtime_usec + 3'600'000'000ull;
  EXPECT_THAT(read_journal(q), ::testing::IsEmpty());

  // Alternatives on one field: both containers of the pod.
  JournalQuery both{
      .matches = {{"PODLET_POD", pod_}, {"PODLET_CONTAINER", "c1"}, {"PODLET_CONTAINER", "c2"}}};
  EXPECT_THAT(messages(wait_entries(both, 4)),
              ::testing::UnorderedElementsAre("line-1", "line-2", "line-3", "other"));
  // And by unit.
  EXPECT_THAT(messages(wait_entries({.matches = {{"_SYSTEMD_UNIT", c2.name}}}, 1)),
              ::testing::Contains("other"));
}

TEST_F(JournalRead, WaitsForNewOutput) {
  auto c = container("ticker", "for i in $(seq 20); do echo tick-$i; sleep 0.2; done; exec sleep 1000");
  // Positioned at the end before the unit starts: only what it writes from now on.
  systemd::Journal journal({.matches = {{"PODLET_POD", pod_}, {"PODLET_CONTAINER", "ticker"}}, .tail = 0});
  start(c);
  std::vector<std::string> seen;
  while (seen.size() < 3) {
    auto e = journal.next(20s);
    ASSERT_TRUE(e.has_value()) << "no new entry within 20s after " << seen.size();
    seen.push_back(e->message);
  }
  EXPECT_THAT(seen, ::testing::ElementsAre("tick-1", "tick-2", "tick-3"));

  // Opened at the end again (tail 0, old entries exist now): only later ticks.
  systemd::Journal later({.matches = {{"PODLET_POD", pod_}, {"PODLET_CONTAINER", "ticker"}}, .tail = 0});
  auto e = later.next(20s);
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->message, ::testing::MatchesRegex("tick-([4-9]|1[0-9])"));
}

TEST_F(JournalRead, FollowsUntilTold) {
  auto c = container("follow", "for i in 1 2 3 4 5 6; do echo tick-$i; sleep 0.1; done; exec sleep 1000");
  JournalQuery q{.matches = {{"PODLET_CONTAINER", "follow"}, {"PODLET_POD", pod_}}};
  start(c);
  std::vector<std::string> seen;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  follow_journal(
      q,
      [&](const JournalEntry& e) {
        seen.push_back(e.message);
        return seen.size() < 6;
      },
      [&] { return std::chrono::steady_clock::now() < deadline; });
  EXPECT_THAT(seen, ::testing::ElementsAre("tick-1", "tick-2", "tick-3", "tick-4", "tick-5", "tick-6"));

  // keep_following ends a follow that has nothing more to read.
  std::vector<std::string> rest;
  int asked = 0;
  q.tail = 1;
  follow_journal(
      q,
      [&](const JournalEntry& e) {
        rest.push_back(e.message);
        return true;
      },
      [&] { return ++asked < 2; }, 50ms);
  EXPECT_THAT(rest, ::testing::ElementsAre("tick-6"));
  EXPECT_EQ(asked, 2);
}

}  // namespace
}  // namespace podlet::systemd
