#include "manifest/diagnostic.h"

#include <algorithm>

#include "manifest/yaml_tree.h"

namespace podlet::manifest {

std::string format(const Diagnostic& d) {
  std::string out = d.file.empty() ? "<input>" : d.file;
  if (d.line > 0) {
    out += ":" + std::to_string(d.line);
    if (d.column > 0) out += ":" + std::to_string(d.column);
  }
  out += ": ";
  if (!d.path.empty()) out += d.path + ": ";
  if (d.severity == Diagnostic::kWarning) out += "warning: ";
  out += d.message;
  return out;
}

nlohmann::json to_json(const Diagnostic& d) {
  // Paths and messages quote the input, which may hold any bytes: JSON needs UTF-8.
  return nlohmann::json{{"severity", d.severity == Diagnostic::kError ? "error" : "warning"},
                        {"file", yaml::printable(d.file)},
                        {"line", d.line},
                        {"column", d.column},
                        {"path", yaml::printable(d.path)},
                        {"message", yaml::printable(d.message)}};
}

nlohmann::json to_json(const std::vector<Diagnostic>& ds) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : ds) out.push_back(to_json(d));
  return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(), [](const Diagnostic& d) { return d.is_error(); });
}

}  // namespace podlet::manifest
