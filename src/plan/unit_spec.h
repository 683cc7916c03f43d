// One systemd unit as pure data. The same UnitSpec is rendered two ways by the
// systemd layer: as D-Bus properties for StartTransientUnit (play) and as a unit
// file (generate systemd), so what a transient unit does the file does too.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace podlet::plan {

struct UnitSpec {
  std::string name;  // e.g. "podlet-default_web.slice", "podlet-default_web_nginx.service"
  std::string description;
  std::string slice;  // parent slice (services and sub-slices); empty: systemd's default

  // [Unit] dependencies
  std::vector<std::string> binds_to;
  std::vector<std::string> requires_units;
  std::vector<std::string> wants;
  std::vector<std::string> after;
  std::vector<std::string> before;
  std::optional<uint64_t> start_limit_interval_usec;
  std::optional<uint32_t> start_limit_burst;

  // Start wiring of unit files only. A pod of unit files starts when its infra starts
  // (systemctl start, or at boot through [Install]), so systemd must pull in the rest of
  // the pod: the infra Wants= every container, a container Requires= the init container
  // before it. play starts transient units itself, one at a time in start order, and a
  // transient unit has no [Install]: the D-Bus rendering leaves these out, the unit file
  // writes them after `requires_units` and `wants`.
  std::vector<std::string> file_requires;
  std::vector<std::string> file_wants;
  std::vector<std::string> wanted_by;  // [Install] WantedBy=

  // [Service]; ignored for slices and timers
  std::string type = "notify";  // notify | oneshot | exec | simple
  std::string notify_access = "all";
  std::vector<std::string> exec_start;                    // argv, argv[0] absolute
  std::vector<std::vector<std::string>> exec_start_pre;   // each argv
  std::vector<std::vector<std::string>> exec_start_post;  // each argv, after the main process is ready
  std::vector<std::vector<std::string>> exec_stop;        // each argv, when a stop is asked for
  std::vector<std::vector<std::string>> exec_stop_post;   // each argv, run however the unit stops
  std::string restart = "no";                             // no | always | on-failure
  std::optional<uint64_t> restart_usec;
  std::optional<uint64_t> timeout_start_usec;
  std::optional<uint64_t> timeout_stop_usec;
  bool remain_after_exit = false;
  std::string kill_mode = "control-group";
  std::string kill_signal = "SIGTERM";
  std::vector<std::string> environment;  // "KEY=value"; podlet internals only, never the workload's env
  std::string syslog_identifier;
  std::map<std::string, std::string> log_extra_fields;  // journal fields, e.g. PODLET_POD=default/web

  // [Timer]; timers only. A timer starts the service of its own name (X.timer: X.service).
  std::optional<uint64_t> on_active_usec;       // OnActiveSec=: first, after the timer started
  std::optional<uint64_t> on_unit_active_usec;  // OnUnitActiveSec=: then, after each start of the service
  std::optional<uint64_t> accuracy_usec;        // AccuracySec= (systemd's default is a minute)

  // Resource control (services and slices)
  std::optional<uint64_t> memory_max;              // bytes
  std::optional<uint64_t> cpu_quota_per_sec_usec;  // CPUQuota=, in usec per second
  std::optional<uint64_t> cpu_weight;
  std::optional<uint64_t> tasks_max;

  bool is_slice() const { return name.size() > 6 && name.ends_with(".slice"); }
  bool is_timer() const { return name.size() > 6 && name.ends_with(".timer"); }
};

void to_json(nlohmann::json& j, const UnitSpec& v);
void from_json(const nlohmann::json& j, UnitSpec& v);

}  // namespace podlet::plan
