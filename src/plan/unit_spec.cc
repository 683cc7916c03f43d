#include "plan/unit_spec.h"

namespace podlet::plan {

namespace {

template <typename T>
void put(nlohmann::json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}
template <typename T>
void get(const nlohmann::json& j, const char* key, std::optional<T>& v) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) v = it->get<T>();
}
template <typename T>
void get(const nlohmann::json& j, const char* key, T& v) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) v = it->get<T>();
}

}  // namespace

void to_json(nlohmann::json& j, const UnitSpec& v) {
  j = {{"name", v.name},
       {"description", v.description},
       {"slice", v.slice},
       {"binds_to", v.binds_to},
       {"requires", v.requires_units},
       {"wants", v.wants},
       {"after", v.after},
       {"before", v.before},
       {"file_requires", v.file_requires},
       {"file_wants", v.file_wants},
       {"wanted_by", v.wanted_by},
       {"type", v.type},
       {"notify_access", v.notify_access},
       {"exec_start", v.exec_start},
       {"exec_start_pre", v.exec_start_pre},
       {"exec_stop_post", v.exec_stop_post},
       {"restart", v.restart},
       {"remain_after_exit", v.remain_after_exit},
       {"kill_mode", v.kill_mode},
       {"kill_signal", v.kill_signal},
       {"environment", v.environment},
       {"syslog_identifier", v.syslog_identifier},
       {"log_extra_fields", v.log_extra_fields}};
  put(j, "start_limit_interval_usec", v.start_limit_interval_usec);
  put(j, "start_limit_burst", v.start_limit_burst);
  put(j, "restart_usec", v.restart_usec);
  put(j, "timeout_start_usec", v.timeout_start_usec);
  put(j, "timeout_stop_usec", v.timeout_stop_usec);
  put(j, "memory_max", v.memory_max);
  put(j, "cpu_quota_per_sec_usec", v.cpu_quota_per_sec_usec);
  put(j, "cpu_weight", v.cpu_weight);
  put(j, "tasks_max", v.tasks_max);
}

void from_json(const nlohmann::json& j, UnitSpec& v) {
  v = UnitSpec{};
  get(j, "name", v.name);
  get(j, "description", v.description);
  get(j, "slice", v.slice);
  get(j, "binds_to", v.binds_to);
  get(j, "requires", v.requires_units);
  get(j, "wants", v.wants);
  get(j, "after", v.after);
  get(j, "before", v.before);
  get(j, "file_requires", v.file_requires);
  get(j, "file_wants", v.file_wants);
  get(j, "wanted_by", v.wanted_by);
  get(j, "type", v.type);
  get(j, "notify_access", v.notify_access);
  get(j, "exec_start", v.exec_start);
  get(j, "exec_start_pre", v.exec_start_pre);
  get(j, "exec_stop_post", v.exec_stop_post);
  get(j, "restart", v.restart);
  get(j, "remain_after_exit", v.remain_after_exit);
  get(j, "kill_mode", v.kill_mode);
  get(j, "kill_signal", v.kill_signal);
  get(j, "environment", v.environment);
  get(j, "syslog_identifier", v.syslog_identifier);
  get(j, "log_extra_fields", v.log_extra_fields);
  get(j, "start_limit_interval_usec", v.start_limit_interval_usec);
  get(j, "start_limit_burst", v.start_limit_burst);
  get(j, "restart_usec", v.restart_usec);
  get(j, "timeout_start_usec", v.timeout_start_usec);
  get(j, "timeout_stop_usec", v.timeout_stop_usec);
  get(j, "memory_max", v.memory_max);
  get(j, "cpu_quota_per_sec_usec", v.cpu_quota_per_sec_usec);
  get(j, "cpu_weight", v.cpu_weight);
  get(j, "tasks_max", v.tasks_max);
}

}  // namespace podlet::plan
