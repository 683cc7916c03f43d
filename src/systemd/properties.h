// The transient-unit rendering of a UnitSpec: the (sa(sv)) property list that
// org.freedesktop.systemd1.Manager.StartTransientUnit takes. Pure data, so it is
// unit-tested without a bus; manager.cc turns each value into an sdbus::Variant.
// unit_file.h renders the same UnitSpec as a unit file; both walk unit_fields.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plan/unit_spec.h"

namespace podlet::systemd {

// One entry of ExecStart=/ExecStartPre=/ExecStopPost= as systemd's (sasb): the binary,
// its full argv (argv[0] included) and whether a failure is ignored ('-' prefix).
struct ExecCommand {
  std::string path;
  std::vector<std::string> argv;
  bool ignore_failure = false;
  bool operator==(const ExecCommand&) const = default;
};

// The D-Bus types the properties podlet sets use: b, i, u, t, s, as, a(sasb), aay.
using Bytes = std::vector<uint8_t>;
using PropertyValue = std::variant<bool, int32_t, uint32_t, uint64_t, std::string, std::vector<std::string>,
                                   std::vector<ExecCommand>, std::vector<Bytes>>;

struct Property {
  std::string name;
  PropertyValue value;
};

// The D-Bus signature of a value ("b", "i", "u", "t", "s", "as", "a(sasb)", "aay").
std::string dbus_signature(const PropertyValue& value);

// Known systemd 252 limit: on daemon-reload it re-reads transient units from what it serialized,
// which truncates CPUQuota= to whole percent and garbles '$' and ';' in Exec*= argv. Whole-percent
// quotas and podlet's own argv (paths) are unaffected.
//
// StartTransientUnit properties for a service or slice. Throws podlet::Error naming the
// unit and field for values systemd would reject (unknown signal, relative ExecStart path).
std::vector<Property> properties_for(const plan::UnitSpec& spec);

// Looks a property up by name; nullptr when absent.
const Property* find_property(const std::vector<Property>& properties, std::string_view name);

// argv as systemd must be given it for the process to see it literally: systemd expands
// $VAR/${VAR} in Exec*= argv when it spawns the command (transient units too) and turns
// "$$" into "$", so every '$' is doubled. Both renderings use this.
std::vector<std::string> escape_exec_argv(const std::vector<std::string>& argv);

// Signal number of "SIGTERM"/"TERM"/"15"; throws podlet::Error for anything else.
int signal_number(std::string_view name);

}  // namespace podlet::systemd
