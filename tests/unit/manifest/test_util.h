// Helpers shared by the manifest unit tests.
#pragma once

#include <string>

#include "manifest/model.h"

namespace podlet::manifest::testing {

// A Pod document whose spec is `spec` (YAML, indented by two spaces per level as if
// at the top level).
inline std::string pod_yaml(const std::string& spec, const std::string& name = "p") {
  std::string out = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n";
  size_t start = 0;
  while (start < spec.size()) {
    size_t end = spec.find('\n', start);
    if (end == std::string::npos) end = spec.size();
    out += "  " + spec.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

// "path: message" of every error, for compact assertions.
inline std::vector<std::string> errors(const Manifest& m) {
  std::vector<std::string> out;
  for (const auto& d : m.diagnostics) {
    if (d.is_error()) out.push_back(d.path + ": " + d.message);
  }
  return out;
}

inline std::vector<std::string> warnings(const Manifest& m) {
  std::vector<std::string> out;
  for (const auto& d : m.diagnostics) {
    if (!d.is_error()) out.push_back(d.path + ": " + d.message);
  }
  return out;
}

}  // namespace podlet::manifest::testing
