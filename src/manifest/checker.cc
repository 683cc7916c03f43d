#include "manifest/checker.h"

#include "manifest/names.h"

namespace podlet::manifest::detail {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string item(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

void Checker::error(const std::string& path, std::string message) {
  out_.push_back(source_.diagnostic(Diagnostic::kError, path, std::move(message)));
}

void Checker::warn(const std::string& path, std::string message) {
  out_.push_back(source_.diagnostic(Diagnostic::kWarning, path, std::move(message)));
}

void Checker::invalid(const std::string& path, std::string_view value, const std::string& why) {
  error(path, "Invalid value: " + quoted(value) + ": " + why);
}

void Checker::duplicate(const std::string& path, std::string_view value) {
  error(path, "Duplicate value: " + quoted(value));
}

void Checker::not_found(const std::string& path, std::string_view value) {
  error(path, "Not found: " + quoted(value));
}

bool Checker::one_of(const std::string& path, std::string_view value,
                     std::initializer_list<std::string_view> supported) {
  std::string list;
  for (auto s : supported) {
    if (s == value) return true;
    list += (list.empty() ? "" : ", ") + quoted(s);
  }
  error(path, "Unsupported value: " + quoted(value) + ": supported values: " + list);
  return false;
}

bool Checker::name(const std::string& path, std::string_view value, std::string (*check)(std::string_view)) {
  if (value.empty()) {
    required(path);
    return false;
  }
  if (std::string why = check(value); !why.empty()) {
    invalid(path, value, why);
    return false;
  }
  return true;
}

void Checker::non_negative(const std::string& path, int64_t value) {
  if (value < 0)
    error(path, "Invalid value: " + std::to_string(value) + ": must be greater than or equal to 0");
}

void Checker::labels(const std::string& path, const std::map<std::string, std::string>& labels) {
  for (const auto& [k, v] : labels) {
    if (std::string why = check_qualified_name(k); !why.empty()) invalid(child(path, k), k, why);
    if (std::string why = check_label_value(v); !why.empty()) invalid(child(path, k), v, why);
  }
}

void Checker::annotations(const std::string& path, const std::map<std::string, std::string>& annotations) {
  size_t total = 0;
  for (const auto& [k, v] : annotations) {
    if (std::string why = check_qualified_name(k); !why.empty()) invalid(child(path, k), k, why);
    total += k.size() + v.size();
  }
  if (total > 256 * 1024) error(path, "Too long: must have at most 262144 bytes");
}

}  // namespace podlet::manifest::detail
