// Pods addressed kubectl-style: NAME (in -n/--namespace, default "default") or NS/NAME.
#pragma once

#include <string>

namespace podlet::cli {

struct PodRef {
  std::string ns;
  std::string name;
  std::string key() const { return ns + "/" + name; }
};

// Throws podlet::Error for anything that is not a DNS-1123 name (or NS/NAME).
PodRef parse_pod_ref(const std::string& arg, const std::string& default_ns);

}  // namespace podlet::cli
