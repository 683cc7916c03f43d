// What the manifest layer tells the user about an input: an error (the input is
// refused, as Kubernetes would refuse it) or a warning (accepted, but something in
// it is not run or not honoured). Every diagnostic names the file, the line:column
// of the field and its full path inside the document.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace podlet::manifest {

struct Diagnostic {
  enum Severity { kError, kWarning };
  Severity severity = kError;
  std::string file;
  int line = 0;      // 1-based; 0 when unknown (e.g. a whole-file error)
  int column = 0;    // 1-based; 0 when unknown
  std::string path;  // "spec.containers[0].workingDir"; empty for document-level problems
  std::string message;

  bool is_error() const { return severity == kError; }
};

// "file:line:col: path: message"; warnings read "file:line:col: path: warning: message".
// Parts that are unknown (line 0, empty path) are left out.
std::string format(const Diagnostic& d);

// {"severity":"error","file":..,"line":..,"column":..,"path":..,"message":..}
nlohmann::json to_json(const Diagnostic& d);
nlohmann::json to_json(const std::vector<Diagnostic>& ds);

bool has_errors(const std::vector<Diagnostic>& ds);

}  // namespace podlet::manifest
