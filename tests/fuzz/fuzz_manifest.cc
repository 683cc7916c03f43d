// Fuzzes the whole manifest front end: bounded YAML reader, strict decoding,
// defaulting, validation and diagnostics formatting. Any input must give a Manifest
// (possibly full of errors), never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "manifest/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const podlet::manifest::Manifest m = podlet::manifest::load_manifest(text, "fuzz.yaml");
  for (const auto& d : m.diagnostics) {
    if (format(d).empty()) __builtin_trap();
  }
  (void)to_json(m.diagnostics).dump();
  return 0;
}
