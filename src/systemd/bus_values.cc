#include "systemd/bus_values.h"

#include <signal.h>

#include "base/overloaded.h"

namespace podlet::systemd {

namespace {

template <typename T>
void read(const BusProperties& properties, const char* name, T& out) {
  auto it = properties.find(name);
  if (it != properties.end() && it->second.containsValueOfType<T>()) out = it->second.get<T>();
}

}  // namespace

sdbus::Variant to_variant(const PropertyValue& value) {
  return std::visit(Overloaded{
                        [](const std::vector<ExecCommand>& commands) {
                          std::vector<sdbus::Struct<std::string, std::vector<std::string>, bool>> out;
                          for (const auto& c : commands) out.emplace_back(c.path, c.argv, c.ignore_failure);
                          return sdbus::Variant(out);
                        },
                        [](const auto& v) { return sdbus::Variant(v); },
                    },
                    value);
}

std::vector<BusProperty> to_bus_properties(const std::vector<Property>& properties) {
  std::vector<BusProperty> out;
  out.reserve(properties.size());
  for (const auto& p : properties) out.emplace_back(p.name, to_variant(p.value));
  return out;
}

int UnitStatus::exit_code() const {
  // CLD_* codes, as systemd reports them in ExecMainCode.
  if (exec_main_code == CLD_KILLED || exec_main_code == CLD_DUMPED) return 128 + exec_main_status;
  return exec_main_status;
}

void read_unit_properties(const BusProperties& properties, UnitStatus& status) {
  read(properties, "LoadState", status.load_state);
  read(properties, "ActiveState", status.active_state);
  read(properties, "SubState", status.sub_state);
  read(properties, "Result", status.result);
  read(properties, "StatusText", status.status_text);
  read(properties, "ControlGroup", status.control_group);
  read(properties, "MainPID", status.main_pid);
  read(properties, "NRestarts", status.n_restarts);
  read(properties, "ExecMainCode", status.exec_main_code);
  read(properties, "ExecMainStatus", status.exec_main_status);
  read(properties, "ActiveEnterTimestamp", status.active_enter_timestamp_usec);
  read(properties, "InactiveEnterTimestamp", status.inactive_enter_timestamp_usec);
  read(properties, "InactiveExitTimestamp", status.inactive_exit_timestamp_usec);
  read(properties, "ExecMainExitTimestamp", status.exec_main_exit_timestamp_usec);
  read(properties, "ExecMainStartTimestamp", status.exec_main_start_timestamp_usec);
}

}  // namespace podlet::systemd
