// The one table of UnitSpec fields both renderings walk: properties.cc (the D-Bus
// properties of StartTransientUnit) and unit_file.cc (unit files). A row gives a
// field's D-Bus property, its unit-file section and key, and how the value is
// written, in the order both renderings write them, so a field is rendered by both
// or by neither; a row without a property is one a transient unit cannot carry
// (UnitSpec's start wiring of unit files, [Install]). Internal to src/systemd.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "plan/unit_spec.h"

namespace podlet::systemd::detail {

enum class Section {
  unit,       // [Unit]
  service,    // [Service]; services only, never slices or timers
  timer,      // [Timer]; timers only
  resources,  // [Service] or [Slice]
  install,    // [Install]; unit files only
};

// How a value is written: its D-Bus type / its unit-file text. Empty strings, lists
// and maps and unset optionals are left out of both (systemd's default applies).
enum class Format {
  plain,      // s, as, t, u, b / as it is, one line per list entry, b as yes|no
  line,       // s / the rest of the line: newlines blanked, specifiers escaped
  words,      // as, or aay of a map's KEY=VALUE / one quoted word per line
  exec,       // a(sasb) / the argv as quoted words, '$' doubled; a list: one line each
  signal,     // i, the signal's number / its name as written
  timespan,   // t / an exact time span ("90s")
  cpu_quota,  // t, usec per second / percent of one CPU
};

using Spec = plan::UnitSpec;
using Member =
    std::variant<std::string Spec::*, std::vector<std::string> Spec::*,
                 std::vector<std::vector<std::string>> Spec::*, std::map<std::string, std::string> Spec::*,
                 std::optional<uint64_t> Spec::*, std::optional<uint32_t> Spec::*, bool Spec::*>;

struct UnitField {
  const char* name;  // UnitSpec's JSON key, for errors
  Member member;
  Section section;
  const char* property;  // StartTransientUnit property; nullptr: unit files only
  const char* key;       // unit-file key
  Format format;
};

// Every rendered UnitSpec field but `name` (StartTransientUnit's argument, the file's name).
std::span<const UnitField> unit_fields();

// Whether a rendering of `spec` writes the field at all (a slice has no [Service]
// settings, a timer no [Service] and no resources, only a timer has [Timer]).
bool applies(const UnitField& field, const Spec& spec);

}  // namespace podlet::systemd::detail
