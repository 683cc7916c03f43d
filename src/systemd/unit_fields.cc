#include "systemd/unit_fields.h"

namespace podlet::systemd::detail {

namespace {

using enum Section;
using enum Format;

// The order is the order of both renderings; file-only rows follow the row of the same key.
const UnitField kFields[] = {
    {"description", &Spec::description, unit, "Description", "Description", line},
    {"binds_to", &Spec::binds_to, unit, "BindsTo", "BindsTo", plain},
    {"requires", &Spec::requires_units, unit, "Requires", "Requires", plain},
    {"file_requires", &Spec::file_requires, unit, nullptr, "Requires", plain},
    {"wants", &Spec::wants, unit, "Wants", "Wants", plain},
    {"file_wants", &Spec::file_wants, unit, nullptr, "Wants", plain},
    {"after", &Spec::after, unit, "After", "After", plain},
    {"before", &Spec::before, unit, "Before", "Before", plain},
    {"start_limit_interval_usec", &Spec::start_limit_interval_usec, unit, "StartLimitIntervalUSec",
     "StartLimitIntervalSec", timespan},
    {"start_limit_burst", &Spec::start_limit_burst, unit, "StartLimitBurst", "StartLimitBurst", plain},
    {"slice", &Spec::slice, service, "Slice", "Slice", plain},
    {"type", &Spec::type, service, "Type", "Type", plain},
    {"notify_access", &Spec::notify_access, service, "NotifyAccess", "NotifyAccess", plain},
    {"exec_start_pre", &Spec::exec_start_pre, service, "ExecStartPre", "ExecStartPre", exec},
    {"exec_start", &Spec::exec_start, service, "ExecStart", "ExecStart", exec},
    {"exec_start_post", &Spec::exec_start_post, service, "ExecStartPost", "ExecStartPost", exec},
    {"exec_stop", &Spec::exec_stop, service, "ExecStop", "ExecStop", exec},
    {"exec_stop_post", &Spec::exec_stop_post, service, "ExecStopPost", "ExecStopPost", exec},
    {"restart", &Spec::restart, service, "Restart", "Restart", plain},
    {"restart_usec", &Spec::restart_usec, service, "RestartUSec", "RestartSec", timespan},
    {"timeout_start_usec", &Spec::timeout_start_usec, service, "TimeoutStartUSec", "TimeoutStartSec",
     timespan},
    {"timeout_stop_usec", &Spec::timeout_stop_usec, service, "TimeoutStopUSec", "TimeoutStopSec", timespan},
    {"remain_after_exit", &Spec::remain_after_exit, service, "RemainAfterExit", "RemainAfterExit", plain},
    {"kill_mode", &Spec::kill_mode, service, "KillMode", "KillMode", plain},
    {"kill_signal", &Spec::kill_signal, service, "KillSignal", "KillSignal", signal},
    {"environment", &Spec::environment, service, "Environment", "Environment", words},
    {"syslog_identifier", &Spec::syslog_identifier, service, "SyslogIdentifier", "SyslogIdentifier", line},
    {"log_extra_fields", &Spec::log_extra_fields, service, "LogExtraFields", "LogExtraFields", words},
    {"on_active_usec", &Spec::on_active_usec, timer, "OnActiveSec", "OnActiveSec", timespan},
    {"on_unit_active_usec", &Spec::on_unit_active_usec, timer, "OnUnitActiveSec", "OnUnitActiveSec",
     timespan},
    {"accuracy_usec", &Spec::accuracy_usec, timer, "AccuracyUSec", "AccuracySec", timespan},
    {"memory_max", &Spec::memory_max, resources, "MemoryMax", "MemoryMax", plain},
    {"cpu_quota_per_sec_usec", &Spec::cpu_quota_per_sec_usec, resources, "CPUQuotaPerSecUSec", "CPUQuota",
     cpu_quota},
    {"cpu_weight", &Spec::cpu_weight, resources, "CPUWeight", "CPUWeight", plain},
    {"tasks_max", &Spec::tasks_max, resources, "TasksMax", "TasksMax", plain},
    {"wanted_by", &Spec::wanted_by, install, nullptr, "WantedBy", plain},
};

}  // namespace

std::span<const UnitField> unit_fields() {
  return kFields;
}

bool applies(const UnitField& field, const Spec& spec) {
  switch (field.section) {
    case Section::service:
      return !spec.is_slice() && !spec.is_timer();
    case Section::timer:
      return spec.is_timer();
    case Section::resources:
      return !spec.is_timer();
    default:
      return true;
  }
}

}  // namespace podlet::systemd::detail
