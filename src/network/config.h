// The host's pod network, configurable in one small JSON file,
// <root>/network.json (default /var/lib/podlet/network.json):
//
//   { "bridge": "podlet0", "subnet": "10.90.0.0/16", "gateway": "10.90.0.1", "mtu": 1500 }
//
// Every key is optional: a missing file or key keeps the default (bridge podlet0,
// subnet 10.90.0.0/16 -- clear of Podman's 10.88.0.0/16 and 10.89.0.0/24 --, the
// gateway is the subnet's first address, mtu 0 = the kernel's default).
#pragma once

#include <string>

#include "plan/runtime_spec.h"

namespace podlet::network {

struct NetworkConfig {
  std::string bridge = "podlet0";
  std::string subnet = "10.90.0.0/16";
  std::string gateway = "10.90.0.1";
  unsigned mtu = 0;
};

std::string network_config_path(const std::string& root);

// Parses and validates (bridge name, subnet, gateway inside it); throws
// podlet::Error naming the file and the key.
NetworkConfig parse_network_config(const std::string& json_text, const std::string& origin);
// Reads <root>/network.json; the defaults when the file does not exist.
NetworkConfig load_network_config(const std::string& root);

// Copies bridge, subnet, gateway and mtu into a pod's network spec.
void apply_network_config(const NetworkConfig& config, plan::NetworkSpec& spec);

// Throws podlet::Error when a link name is not usable as an interface name.
void validate_link_name(const std::string& name, const std::string& what);

}  // namespace podlet::network
