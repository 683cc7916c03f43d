#include "plan/unit_spec.h"

#include "plan/json_fields.h"

namespace podlet::plan {

namespace {
PODLET_JSON_MEMBERS(UnitSpec, write_unit, read_unit, name, description, slice, binds_to, wants, after, before,
                    file_requires, file_wants, wanted_by, type, notify_access, exec_start, exec_start_pre,
                    exec_start_post, exec_stop, exec_stop_post, restart, remain_after_exit, kill_mode,
                    kill_signal, environment, syslog_identifier, log_extra_fields, start_limit_interval_usec,
                    start_limit_burst, restart_usec, timeout_start_usec, timeout_stop_usec, memory_max,
                    cpu_quota_per_sec_usec, cpu_weight, tasks_max, on_active_usec, on_unit_active_usec,
                    accuracy_usec)
}  // namespace

// "requires" is a keyword in C++20, so the member has another name.
void to_json(nlohmann::json& j, const UnitSpec& v) {
  write_unit(j, v);
  json_fields::put(j, "requires", v.requires_units);
}
void from_json(const nlohmann::json& j, UnitSpec& v) {
  v = UnitSpec{};
  read_unit(j, v);
  json_fields::get(j, "requires", v.requires_units);
}

}  // namespace podlet::plan
