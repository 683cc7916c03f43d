#include "plan/unit_names.h"

#include <cstdint>

#include <fmt/core.h>

namespace podlet::plan {

namespace {

constexpr size_t kUnitNameMax = 255;  // systemd's UNIT_NAME_MAX

// FNV-1a: stable across builds and machines, enough to keep shortened names unique.
uint64_t fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Keeps a unit name within systemd's limit: prefix + hash + suffix when too long.
std::string fit(std::string prefix, std::string_view suffix) {
  if (prefix.size() + suffix.size() <= kUnitNameMax) return prefix + std::string(suffix);
  std::string hash = fmt::format("{:016x}", fnv1a(prefix));
  size_t keep = kUnitNameMax - suffix.size() - hash.size() - 1;
  // Never cut an escape sequence in half.
  std::string head = prefix.substr(0, keep);
  if (auto bs = head.rfind('\\'); bs != std::string::npos && head.size() - bs < 4) head.resize(bs);
  return head + "_" + hash + std::string(suffix);
}

}  // namespace

std::string systemd_escape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
                 c == '_' || (c == '.' && i > 0);
    if (c == '/') {
      out += '-';
    } else if (plain) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

std::string PodUnitNames::container(std::string_view container_name) const {
  return fit(fmt::format("podlet-{}_{}_{}", ns, name, container_name), ".service");
}

PodUnitNames pod_unit_names(std::string_view ns, std::string_view name) {
  PodUnitNames n;
  n.ns = std::string(ns);
  n.name = std::string(name);
  n.slice = fit("podlet-" + systemd_escape(fmt::format("{}_{}", ns, name)), ".slice");
  n.infra = fit(fmt::format("podlet-{}_{}-infra", ns, name), ".service");
  return n;
}

}  // namespace podlet::plan
