// Shared helpers of the validators: Kubernetes-worded field errors anchored at the
// field's position in its document. Internal.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/model.h"

namespace podlet::manifest::detail {

class Checker {
 public:
  Checker(const Source& source, std::vector<Diagnostic>& out) : source_(source), out_(out) {}

  void error(const std::string& path, std::string message);
  void warn(const std::string& path, std::string message);
  void required(const std::string& path) { error(path, "Required value"); }
  void invalid(const std::string& path, std::string_view value, const std::string& why);
  void forbidden(const std::string& path, const std::string& why) { error(path, "Forbidden: " + why); }
  void duplicate(const std::string& path, std::string_view value);
  void not_found(const std::string& path, std::string_view value);
  // Errors with "Unsupported value" unless value is one of `supported`.
  bool one_of(const std::string& path, std::string_view value,
              std::initializer_list<std::string_view> supported);
  // Runs a names.h check; errors with "Invalid value" when it fails.
  bool name(const std::string& path, std::string_view value, std::string (*check)(std::string_view));
  void non_negative(const std::string& path, int64_t value);
  void labels(const std::string& path, const std::map<std::string, std::string>& labels);
  void annotations(const std::string& path, const std::map<std::string, std::string>& annotations);

  const Source& source() const { return source_; }

 private:
  const Source& source_;
  std::vector<Diagnostic>& out_;
};

std::string quoted(std::string_view s);
std::string child(const std::string& path, std::string_view key);
std::string item(const std::string& path, size_t index);

}  // namespace podlet::manifest::detail
