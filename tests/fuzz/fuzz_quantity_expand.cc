// Fuzzes the two string parsers the planner calls directly: quantities and $(VAR)
// expansion. Checks a few invariants along the way.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "manifest/expand.h"
#include "manifest/quantity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string why;
  if (auto q = podlet::manifest::parse_quantity(text, &why)) {
    // Both round away from zero, so for a positive quantity value >= milli / 1000
    // (negative ones are refused by validation).
    if (!q->negative() && q->milli != INT64_MAX && q->milli / 1000 > q->value) __builtin_trap();
    if (q->negative() != (q->value < 0) && q->value != 0) __builtin_trap();
  } else if (why.empty()) {
    __builtin_trap();
  }
  // Without any defined variable, expansion only ever removes characters ("$$" -> "$").
  const std::string none = podlet::manifest::expand_vars(text, [](std::string_view) { return std::nullopt; });
  if (none.size() > text.size()) __builtin_trap();
  const std::string all =
      podlet::manifest::expand_vars(text, [](std::string_view name) { return std::string(name); });
  (void)all;
  return 0;
}
