#include "manifest/names.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstdint>
#include <string>

namespace podlet::manifest {
namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Every character of `s` is of class `cls` or one of `extra`.
bool made_of(std::string_view s, bool (*cls)(char), std::string_view extra) {
  for (char c : s) {
    if (!cls(c) && extra.find(c) == std::string_view::npos) return false;
  }
  return true;
}

// Non-empty, made of `cls` and `extra`, and starts and ends with a character of `cls`.
bool framed(std::string_view s, bool (*cls)(char), std::string_view extra) {
  return !s.empty() && cls(s.front()) && cls(s.back()) && made_of(s, cls, extra);
}

// `s` split at every one of `separators` (empty parts included): does each part pass?
bool every_part(std::string_view s, std::string_view separators, bool (*pass)(std::string_view)) {
  size_t start = 0;
  while (true) {
    const size_t sep = s.find_first_of(separators, start);
    if (!pass(s.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start)))
      return false;
    if (sep == std::string_view::npos) return true;
    start = sep + 1;
  }
}

bool is_label_like(std::string_view s) {
  return framed(s, lower_alnum, "-");
}

bool is_subdomain(std::string_view s) {
  return !s.empty() && every_part(s, ".", is_label_like);
}

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?
bool is_qualified_part(std::string_view s) {
  return framed(s, alnum, "-_.");
}

// Kubernetes' shape of a syntax check: a length limit first, then the syntax.
std::string check_syntax(std::string_view s, size_t max_size, bool (*valid)(std::string_view),
                         const char* invalid) {
  if (s.size() > max_size) return "must be no more than " + std::to_string(max_size) + " characters";
  return valid(s) ? std::string() : invalid;
}

}  // namespace

std::string check_dns1123_label(std::string_view s) {
  return check_syntax(s, 63, is_label_like,
                      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                      "and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')");
}

std::string check_dns1123_subdomain(std::string_view s) {
  return check_syntax(
      s, 253, is_subdomain,
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
      "or '.', and must start and end with an alphanumeric character (e.g. 'example.com')");
}

std::string check_qualified_name(std::string_view s) {
  std::string_view name = s;
  if (const size_t slash = s.find('/'); slash != std::string_view::npos) {
    const std::string_view prefix = s.substr(0, slash);
    name = s.substr(slash + 1);
    if (prefix.empty()) return "prefix part must be non-empty";
    if (std::string why = check_dns1123_subdomain(prefix); !why.empty()) return "prefix part " + why;
  }
  if (name.empty()) return "name part must be non-empty";
  const std::string why =
      check_syntax(name, 63, is_qualified_part,
                   "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                   "alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')");
  return why.empty() ? why : "name part " + why;
}

std::string check_label_value(std::string_view s) {
  return check_syntax(
      s, 63, [](std::string_view v) { return v.empty() || is_qualified_part(v); },
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
      "must "
      "start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')");
}

std::string check_env_var_name(std::string_view s) {
  if (!s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) && made_of(s, alnum, "_-.")) return {};
  return "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
         "'.', and must not start with a digit (e.g. 'my.env-name', or 'MY_ENV.NAME', or 'MyEnvName1')";
}

std::string check_config_map_key(std::string_view s) {
  if (s.empty() || s.size() > 253) return "a valid config key must be 1 to 253 characters";
  if (!made_of(s, alnum, "-_.")) {
    return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', "
           "or 'KEY_NAME', or 'key-name')";
  }
  if (s == "." || s == "..") return "must not be '.' or '..'";
  return {};
}

std::string check_port_name(std::string_view s) {
  if (s.empty() || s.size() > 15) return "must be no more than 15 characters";
  if (!made_of(s, lower_alnum, "-"))
    return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
  if (s.find("--") != std::string_view::npos) return "must not contain consecutive hyphens";
  if (s.front() == '-' || s.back() == '-') return "must not begin or end with a hyphen";
  if (s.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string_view::npos)
    return "must contain at least one letter (a-z)";
  return {};
}

std::string check_port_number(int64_t port) {
  if (port < 1 || port > 65535) return "must be between 1 and 65535, inclusive";
  return {};
}

std::string check_ip(std::string_view s) {
  const std::string str(s);
  unsigned char buf[16];
  if (inet_pton(AF_INET, str.c_str(), buf) == 1 || inet_pton(AF_INET6, str.c_str(), buf) == 1) return {};
  return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
}

std::string check_relative_path(std::string_view s) {
  if (!s.empty() && s.front() == '/') return "must be a relative path";
  if (!every_part(s, "/", [](std::string_view part) { return part != ".."; })) return "must not contain '..'";
  return {};
}

std::string check_http_header_name(std::string_view s) {
  static constexpr std::string_view kTokenChars = "!#$%&'*+-.^_`|~";
  if (!s.empty() && made_of(s, alnum, kTokenChars)) return {};
  return "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name')";
}

// ([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?, at most 253 characters
std::string check_sysctl_name(std::string_view s) {
  if (s.empty() || s.size() > 253) return "must have at most 253 characters";
  if (every_part(s, "./", [](std::string_view part) { return framed(part, lower_alnum, "-_"); })) return {};
  return "a valid sysctl name must consist of lower case alphanumeric characters, '-', '_' or '.', "
         "separated by '.' or '/' (e.g. 'net.ipv4.ip_forward')";
}

}  // namespace podlet::manifest
