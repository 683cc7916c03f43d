#include "cli/pod_ref.h"

#include <fmt/core.h>

#include "base/error.h"

namespace podlet::cli {

namespace {

// DNS-1123 subdomain characters: what a namespace or pod name may hold (and never
// '_' or '/', which podlet's ids and unit names rely on).
bool valid_name(const std::string& s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return s.front() != '-' && s.back() != '-' && s.front() != '.' && s.back() != '.';
}

}  // namespace

PodRef parse_pod_ref(const std::string& arg, const std::string& default_ns) {
  PodRef ref{default_ns.empty() ? "default" : default_ns, arg};
  if (auto slash = arg.find('/'); slash != std::string::npos) {
    ref.ns = arg.substr(0, slash);
    ref.name = arg.substr(slash + 1);
  }
  if (!valid_name(ref.ns, 63)) fail("{:?}: not a valid namespace name", ref.ns);
  if (!valid_name(ref.name, 253)) fail("{:?}: not a valid pod name (NAME or NAMESPACE/NAME)", arg);
  return ref;
}

}  // namespace podlet::cli
