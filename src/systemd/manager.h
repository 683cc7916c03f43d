// podlet's client of systemd's manager (org.freedesktop.systemd1 on the system bus).
// UnitManager is the narrow interface the commands use, so their logic can be tested
// with a recording fake; Manager implements it over sdbus-c++.
//
// Every call that queues a job waits for that job's JobRemoved signal, subscribed to
// before the job is queued (as crun's cgroup-systemd.c does): when a start returns,
// systemd has either reached the unit's "started" point (READY=1 for Type=notify,
// exit for Type=oneshot) or failed it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plan/unit_spec.h"

namespace podlet::systemd {

inline constexpr std::chrono::milliseconds kDefaultJobTimeout = std::chrono::seconds(120);

// What systemd reports about one unit (properties of org.freedesktop.systemd1.Unit/.Service).
struct UnitStatus {
  std::string name;
  std::string load_state;    // loaded | not-found | ...
  std::string active_state;  // active | activating | deactivating | inactive | failed | reloading
  std::string sub_state;     // running | exited | dead | auto-restart | failed | ...
  std::string result;  // services: success | exit-code | signal | core-dump | timeout | start-limit-hit | ...
  std::string status_text;    // Type=notify services: the last STATUS= the unit sent (kept after it ended)
  std::string control_group;  // e.g. /podlet.slice/podlet-default_web.slice/...
  uint32_t main_pid = 0;
  uint32_t n_restarts = 0;
  int32_t exec_main_code = 0;    // CLD_EXITED, CLD_KILLED, CLD_DUMPED; 0 before the main process exited
  int32_t exec_main_status = 0;  // exit status (CLD_EXITED) or signal number
  uint64_t active_enter_timestamp_usec = 0;    // CLOCK_REALTIME; 0 if never active
  uint64_t inactive_enter_timestamp_usec = 0;  // CLOCK_REALTIME
  uint64_t inactive_exit_timestamp_usec = 0;   // CLOCK_REALTIME: when the last start began
  uint64_t exec_main_exit_timestamp_usec = 0;  // CLOCK_REALTIME
  // CLOCK_REALTIME: when the main process of this run started (a new one at every restart).
  uint64_t exec_main_start_timestamp_usec = 0;

  bool is_active() const { return active_state == "active" || active_state == "reloading"; }
  bool is_failed() const { return active_state == "failed"; }
  // The main process's exit as the shell reports it: its status, or 128 + the killing signal.
  int exit_code() const;
};

// One row of ListUnitsByPatterns.
struct UnitInfo {
  std::string name;
  std::string description;
  std::string load_state;
  std::string active_state;
  std::string sub_state;
};

class UnitManager {
 public:
  virtual ~UnitManager() = default;

  // Starts `spec` as a transient unit and waits for its start job. Throws podlet::Error when
  // the job does not end "done", naming the unit, the job result and the unit's Result.
  virtual void start_transient(const plan::UnitSpec& spec,
                               std::chrono::milliseconds timeout = kDefaultJobTimeout) = 0;
  // Creates `aux` units with `spec` (a timer's service) and starts `spec` alone.
  virtual void start_transient_with(const plan::UnitSpec& spec, const std::vector<plan::UnitSpec>& aux,
                                    std::chrono::milliseconds timeout = kDefaultJobTimeout) = 0;
  // Starts a unit from a unit file (after daemon_reload) and waits for the job.
  virtual void start(const std::string& name, std::chrono::milliseconds timeout = kDefaultJobTimeout) = 0;
  // Stops a unit (a slice: with everything in it) and waits for the job. Returns false when
  // systemd has no such unit loaded (nothing to stop).
  virtual bool stop(const std::string& name, std::chrono::milliseconds timeout = kDefaultJobTimeout) = 0;
  // Stops and starts a unit again (its stop runs as a stop does) and waits for the job.
  virtual void restart(const std::string& name, std::chrono::milliseconds timeout = kDefaultJobTimeout) = 0;
  // Sends `signal` to the unit's processes; who: "all", "main" or "control".
  virtual void kill(const std::string& name, int signal, const std::string& who = "all") = 0;
  // Forgets a failed unit's state (and unloads a failed transient unit). False when not loaded.
  virtual bool reset_failed(const std::string& name) = 0;
  // nullopt when systemd has no such unit loaded.
  virtual std::optional<UnitStatus> status(const std::string& name) = 0;
  // Loaded units matching any of the glob patterns (all units when empty), optionally only
  // those in one of `states` (active, failed, inactive, ... or sub states).
  virtual std::vector<UnitInfo> list_units(const std::vector<std::string>& patterns,
                                           const std::vector<std::string>& states = {}) = 0;
  // Reloads unit files (after writing or removing generated ones).
  virtual void daemon_reload() = 0;
};

class Manager : public UnitManager {
 public:
  // Connects to the system bus and subscribes to the manager's signals.
  Manager();
  ~Manager() override;
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  void start_transient(const plan::UnitSpec& spec,
                       std::chrono::milliseconds timeout = kDefaultJobTimeout) override;
  void start_transient_with(const plan::UnitSpec& spec, const std::vector<plan::UnitSpec>& aux,
                            std::chrono::milliseconds timeout = kDefaultJobTimeout) override;
  void start(const std::string& name, std::chrono::milliseconds timeout = kDefaultJobTimeout) override;
  bool stop(const std::string& name, std::chrono::milliseconds timeout = kDefaultJobTimeout) override;
  void restart(const std::string& name, std::chrono::milliseconds timeout = kDefaultJobTimeout) override;
  void kill(const std::string& name, int signal, const std::string& who = "all") override;
  bool reset_failed(const std::string& name) override;
  std::optional<UnitStatus> status(const std::string& name) override;
  std::vector<UnitInfo> list_units(const std::vector<std::string>& patterns,
                                   const std::vector<std::string>& states = {}) override;
  void daemon_reload() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace podlet::systemd
