// Kubernetes name and value syntax (k8s.io/apimachinery/pkg/util/validation).
// Each check returns an empty string when `s` is valid, else the reason, worded as
// Kubernetes words it.
#pragma once

#include <string>
#include <string_view>

namespace podlet::manifest {

std::string check_dns1123_label(std::string_view s);      // container, volume, port-less names
std::string check_dns1123_subdomain(std::string_view s);  // object names
std::string check_qualified_name(std::string_view s);     // label and annotation keys: [prefix/]name
std::string check_label_value(std::string_view s);
std::string check_env_var_name(std::string_view s);
std::string check_config_map_key(std::string_view s);  // ConfigMap and Secret keys
std::string check_port_name(std::string_view s);       // IANA_SVC_NAME
std::string check_port_number(int64_t port);           // 1..65535
std::string check_ip(std::string_view s);              // IPv4 or IPv6 address
std::string check_relative_path(std::string_view s);   // no absolute path, no ".." element
std::string check_http_header_name(std::string_view s);
std::string check_sysctl_name(std::string_view s);

}  // namespace podlet::manifest
