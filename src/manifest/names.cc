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

bool is_label_like(std::string_view s) {
  if (s.empty() || !lower_alnum(s.front()) || !lower_alnum(s.back())) return false;
  for (char c : s) {
    if (!lower_alnum(c) && c != '-') return false;
  }
  return true;
}

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?
bool is_qualified_part(std::string_view s) {
  if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string check_dns1123_label(std::string_view s) {
  if (s.size() > 63) return "must be no more than 63 characters";
  if (!is_label_like(s)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
           "start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')";
  }
  return {};
}

std::string check_dns1123_subdomain(std::string_view s) {
  if (s.size() > 253) return "must be no more than 253 characters";
  bool ok = !s.empty();
  size_t start = 0;
  while (ok && start <= s.size()) {
    const size_t dot = s.find('.', start);
    const std::string_view label =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    ok = is_label_like(label);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!ok) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
           "and "
           "must start and end with an alphanumeric character (e.g. 'example.com')";
  }
  return {};
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
  if (name.size() > 63) return "name part must be no more than 63 characters";
  if (!is_qualified_part(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
           "an "
           "alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')";
  }
  return {};
}

std::string check_label_value(std::string_view s) {
  if (s.size() > 63) return "must be no more than 63 characters";
  if (!s.empty() && !is_qualified_part(s)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
           "and "
           "must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')";
  }
  return {};
}

std::string check_env_var_name(std::string_view s) {
  bool ok = !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0]));
  for (char c : s) {
    if (!alnum(c) && c != '_' && c != '-' && c != '.') ok = false;
  }
  if (!ok) {
    return "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
           "'.', "
           "and must not start with a digit (e.g. 'my.env-name', or 'MY_ENV.NAME', or 'MyEnvName1')";
  }
  return {};
}

std::string check_config_map_key(std::string_view s) {
  if (s.empty() || s.size() > 253) return "a valid config key must be 1 to 253 characters";
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') {
      return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', "
             "or "
             "'KEY_NAME', or 'key-name')";
    }
  }
  if (s == "." || s == "..") return "must not be '.' or '..'";
  return {};
}

std::string check_port_name(std::string_view s) {
  if (s.empty() || s.size() > 15) return "must be no more than 15 characters";
  bool letter = false;
  for (char c : s) {
    if (!lower_alnum(c) && c != '-')
      return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
    if (c >= 'a' && c <= 'z') letter = true;
  }
  if (s.find("--") != std::string_view::npos) return "must not contain consecutive hyphens";
  if (s.front() == '-' || s.back() == '-') return "must not begin or end with a hyphen";
  if (!letter) return "must contain at least one letter (a-z)";
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
  size_t start = 0;
  while (start <= s.size()) {
    const size_t slash = s.find('/', start);
    if (s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start) == "..") {
      return "must not contain '..'";
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return {};
}

std::string check_http_header_name(std::string_view s) {
  static constexpr std::string_view kTokenChars = "!#$%&'*+-.^_`|~";
  bool ok = !s.empty();
  for (char c : s) {
    if (!alnum(c) && kTokenChars.find(c) == std::string_view::npos) ok = false;
  }
  return ok ? std::string()
            : "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name')";
}

std::string check_sysctl_name(std::string_view s) {
  // ([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?, at most 253 characters
  if (s.empty() || s.size() > 253) return "must have at most 253 characters";
  bool ok = true;
  size_t start = 0;
  while (ok) {
    const size_t sep = s.find_first_of("./", start);
    const std::string_view part =
        s.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start);
    ok = !part.empty() && lower_alnum(part.front()) && lower_alnum(part.back());
    for (char c : part) {
      if (!lower_alnum(c) && c != '-' && c != '_') ok = false;
    }
    if (sep == std::string_view::npos) break;
    start = sep + 1;
  }
  return ok ? std::string()
            : "a valid sysctl name must consist of lower case alphanumeric characters, '-', '_' or '.', "
              "separated "
              "by '.' or '/' (e.g. 'net.ipv4.ip_forward')";
}

}  // namespace podlet::manifest
