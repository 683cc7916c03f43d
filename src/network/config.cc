#include "network/config.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "network/ipv4.h"

namespace podlet::network {

std::string network_config_path(const std::string& root) {
  return root + "/network.json";
}

void validate_link_name(const std::string& name, const std::string& what) {
  // IFNAMSIZ is 16 with the NUL; '/', ':' and spaces are not allowed by the kernel,
  // and keeping to this set keeps the name safe in nft scripts and sysctl paths.
  if (name.empty() || name.size() > 15 || name == "." || name == "..") {
    fail("{}: \"{}\" must be 1 to 15 characters", what, name);
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      fail("{}: \"{}\" may only contain letters, digits, '-' and '_'", what, name);
    }
  }
}

NetworkConfig parse_network_config(const std::string& json_text, const std::string& origin) {
  NetworkConfig config;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: invalid JSON: {}", origin, e.what());
  }
  if (!j.is_object()) fail("{}: expected a JSON object", origin);
  bool gateway_given = false;
  for (const auto& [key, value] : j.items()) {
    // Named captures: clang 14 (clang-tidy, the fuzzers) cannot capture bindings.
    auto text = [&origin, &key = key, &value = value] {
      if (!value.is_string()) fail("{}: \"{}\" must be a string", origin, key);
      return value.get<std::string>();
    };
    if (key == "bridge") {
      config.bridge = text();
    } else if (key == "subnet") {
      config.subnet = text();
    } else if (key == "gateway") {
      config.gateway = text();
      gateway_given = true;
    } else if (key == "mtu") {
      if (!value.is_number_unsigned() || value.get<unsigned>() < 68 || value.get<unsigned>() > 65535) {
        fail("{}: \"mtu\" must be a number from 68 to 65535", origin);
      }
      config.mtu = value.get<unsigned>();
    } else {
      fail("{}: unknown key \"{}\" (known: bridge, subnet, gateway, mtu)", origin, key);
    }
  }
  validate_link_name(config.bridge, origin + ": \"bridge\"");
  Ipv4Net subnet = parse_cidr(config.subnet, origin + ": \"subnet\"");
  if (subnet.prefix > 30) fail("{}: \"subnet\" {} is too small for pods", origin, config.subnet);
  if (!gateway_given) config.gateway = to_string(Ipv4{subnet.network().value + 1});
  Ipv4 gateway = parse_ipv4(config.gateway, origin + ": \"gateway\"");
  if (!subnet.contains(gateway) || gateway == subnet.network() || gateway == subnet.broadcast()) {
    fail("{}: \"gateway\" {} is not a host address of subnet {}", origin, config.gateway, config.subnet);
  }
  return config;
}

NetworkConfig load_network_config(const std::string& root) {
  std::string path = network_config_path(root);
  if (::access(path.c_str(), F_OK) != 0) return NetworkConfig{};
  return parse_network_config(read_file(path), path);
}

void apply_network_config(const NetworkConfig& config, plan::NetworkSpec& spec) {
  spec.bridge = config.bridge;
  spec.subnet = config.subnet;
  spec.gateway = config.gateway;
  spec.mtu = config.mtu;
}

}  // namespace podlet::network
