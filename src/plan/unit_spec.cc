#include "plan/unit_spec.h"

#include "plan/json_fields.h"

namespace podlet::plan {

namespace {

using json_fields::Field;

constexpr auto kUnitFields =
    std::tuple{Field{"name", &UnitSpec::name},
               Field{"description", &UnitSpec::description},
               Field{"slice", &UnitSpec::slice},
               Field{"binds_to", &UnitSpec::binds_to},
               Field{"requires", &UnitSpec::requires_units},
               Field{"wants", &UnitSpec::wants},
               Field{"after", &UnitSpec::after},
               Field{"before", &UnitSpec::before},
               Field{"file_requires", &UnitSpec::file_requires},
               Field{"file_wants", &UnitSpec::file_wants},
               Field{"wanted_by", &UnitSpec::wanted_by},
               Field{"type", &UnitSpec::type},
               Field{"notify_access", &UnitSpec::notify_access},
               Field{"exec_start", &UnitSpec::exec_start},
               Field{"exec_start_pre", &UnitSpec::exec_start_pre},
               Field{"exec_stop_post", &UnitSpec::exec_stop_post},
               Field{"restart", &UnitSpec::restart},
               Field{"remain_after_exit", &UnitSpec::remain_after_exit},
               Field{"kill_mode", &UnitSpec::kill_mode},
               Field{"kill_signal", &UnitSpec::kill_signal},
               Field{"environment", &UnitSpec::environment},
               Field{"syslog_identifier", &UnitSpec::syslog_identifier},
               Field{"log_extra_fields", &UnitSpec::log_extra_fields},
               Field{"start_limit_interval_usec", &UnitSpec::start_limit_interval_usec},
               Field{"start_limit_burst", &UnitSpec::start_limit_burst},
               Field{"restart_usec", &UnitSpec::restart_usec},
               Field{"timeout_start_usec", &UnitSpec::timeout_start_usec},
               Field{"timeout_stop_usec", &UnitSpec::timeout_stop_usec},
               Field{"memory_max", &UnitSpec::memory_max},
               Field{"cpu_quota_per_sec_usec", &UnitSpec::cpu_quota_per_sec_usec},
               Field{"cpu_weight", &UnitSpec::cpu_weight},
               Field{"tasks_max", &UnitSpec::tasks_max}};

}  // namespace

void to_json(nlohmann::json& j, const UnitSpec& v) {
  json_fields::write(j, v, kUnitFields);
}
void from_json(const nlohmann::json& j, UnitSpec& v) {
  json_fields::read(j, v, kUnitFields);
}

}  // namespace podlet::plan
