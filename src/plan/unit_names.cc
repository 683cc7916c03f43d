#include "plan/unit_names.h"

#include <cstdint>

#include <fmt/core.h>

namespace podlet::plan {

namespace {

constexpr size_t kUnitNameMax = 255;  // systemd's UNIT_NAME_MAX
constexpr size_t kHashDigits = 16;
constexpr std::string_view kServiceSuffix = ".service";
constexpr std::string_view kTimerSuffix = ".timer";
constexpr std::string_view kProbeSuffix = "-probe";

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
  std::string hash = fmt::format("{:0{}x}", fnv1a(prefix), kHashDigits);
  size_t keep = kUnitNameMax - suffix.size() - hash.size() - 1;
  // Never cut an escape sequence in half.
  std::string head = prefix.substr(0, keep);
  if (auto bs = head.rfind('\\'); bs != std::string::npos && head.size() - bs < 4) head.resize(bs);
  return head + "_" + hash + std::string(suffix);
}

// "<kept>_<16 hex digits>" of a name fit() shortened: the kept part, else nullopt.
std::optional<std::string_view> shortened_head(std::string_view rest, size_t full_size) {
  if (full_size != kUnitNameMax || rest.size() < kHashDigits + 1) return std::nullopt;
  std::string_view hash = rest.substr(rest.size() - kHashDigits);
  if (rest[rest.size() - kHashDigits - 1] != '_') return std::nullopt;
  for (char c : hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  return rest.substr(0, rest.size() - kHashDigits - 1);
}

// A literal unit name as an fnmatch pattern (the slice's escapes hold '\').
std::string glob_literal(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '*' || c == '?' || c == '[') out += '\\';
    out += c;
  }
  return out;
}

std::string container_prefix(std::string_view ns, std::string_view name) {
  return fmt::format("podlet-{}_{}_", ns, name);
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
  return fit(container_prefix(ns, name) + std::string(container_name), kServiceSuffix);
}

std::string PodUnitNames::probe(std::string_view container_name, std::string_view kind) const {
  return fit(container_prefix(ns, name) + std::string(container_name) + "_" + std::string(kind) +
                 std::string(kProbeSuffix),
             kServiceSuffix);
}

std::string PodUnitNames::probe_timer(std::string_view probe_service) {
  // The service's stem: a shortened name keeps the same stem for both.
  return std::string(probe_service.substr(0, probe_service.size() - kServiceSuffix.size())) +
         std::string(kTimerSuffix);
}

namespace {

// "<container>_<kind>-probe" of a probe unit's stem, else nullopt.
std::optional<PodUnit> match_probe(std::string_view rest) {
  size_t sep = rest.find('_');
  if (sep == 0 || sep == std::string_view::npos || !rest.ends_with(kProbeSuffix)) return std::nullopt;
  std::string_view kind = rest.substr(sep + 1, rest.size() - sep - 1 - kProbeSuffix.size());
  if (kind != "liveness" && kind != "readiness" && kind != "startup") return std::nullopt;
  return PodUnit{PodUnit::Kind::probe, std::string(rest.substr(0, sep)), false, std::string(kind)};
}

}  // namespace

std::optional<PodUnit> PodUnitNames::match(std::string_view unit) const {
  if (unit == slice) return PodUnit{PodUnit::Kind::slice, "", false};
  if (unit == infra) return PodUnit{PodUnit::Kind::infra, "", false};
  std::string prefix = container_prefix(ns, name);
  if (!unit.starts_with(prefix)) return std::nullopt;
  if (unit.ends_with(kTimerSuffix))
    return match_probe(unit.substr(prefix.size(), unit.size() - prefix.size() - kTimerSuffix.size()));
  if (!unit.ends_with(kServiceSuffix)) return std::nullopt;
  std::string_view rest = unit.substr(prefix.size(), unit.size() - prefix.size() - kServiceSuffix.size());
  if (auto probe = match_probe(rest)) return probe;
  if (!rest.empty() && rest.find('_') == std::string_view::npos)
    return PodUnit{PodUnit::Kind::container, std::string(rest), false};
  auto head = shortened_head(rest, unit.size());
  if (!head || head->find('_') != std::string_view::npos) return std::nullopt;
  return PodUnit{PodUnit::Kind::container, std::string(*head), true};
}

std::vector<std::string> PodUnitNames::unit_globs() const {
  return {glob_literal(slice), glob_literal(infra),
          container_prefix(ns, name) + "*" + std::string(kServiceSuffix),
          container_prefix(ns, name) + "*" + std::string(kTimerSuffix)};
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
