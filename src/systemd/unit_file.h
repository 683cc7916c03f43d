// The unit-file rendering of a UnitSpec (`podlet generate systemd`, and units that
// must survive a reboot). Pure: same spec, same text. properties.h renders the same
// spec for StartTransientUnit; both walk the one field table of unit_fields.h.
#pragma once

#include <string>
#include <string_view>

#include "plan/unit_spec.h"

namespace podlet::systemd {

// The complete unit file text for a service or slice. Throws podlet::Error on values
// no unit file can carry (relative ExecStart path, unknown signal).
std::string render_unit_file(const plan::UnitSpec& spec);

// A systemd time span for a count of microseconds, exact: "90s", "250ms", "7us", "0".
std::string format_timespan_usec(uint64_t usec);

// Quotes one word for a unit file setting that splits on whitespace (ExecStart=, Environment=,
// LogExtraFields=): C-escaped in double quotes when needed, '%' doubled (specifiers).
std::string quote_word(std::string_view word);

}  // namespace podlet::systemd
