#include "network/ipv4.h"

#include <arpa/inet.h>

#include <charconv>

#include "base/error.h"

namespace podlet::network {

std::optional<Ipv4> try_parse_ipv4(const std::string& text) {
  in_addr addr{};
  // inet_pton accepts only the strict dotted-quad form (no octal, no short forms).
  if (::inet_pton(AF_INET, text.c_str(), &addr) != 1) return std::nullopt;
  return Ipv4{ntohl(addr.s_addr)};
}

Ipv4 parse_ipv4(const std::string& text, const std::string& what) {
  auto ip = try_parse_ipv4(text);
  if (!ip) fail("{}: \"{}\" is not an IPv4 address", what, text);
  return *ip;
}

Ipv4Net parse_cidr(const std::string& text, const std::string& what) {
  auto slash = text.find('/');
  if (slash == std::string::npos) fail("{}: \"{}\" is not a subnet (expected ADDRESS/PREFIX)", what, text);
  Ipv4Net net;
  net.address = parse_ipv4(text.substr(0, slash), what);
  std::string prefix = text.substr(slash + 1);
  auto [end, ec] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), net.prefix);
  if (ec != std::errc() || end != prefix.data() + prefix.size() || prefix.empty() || net.prefix < 0 ||
      net.prefix > 32) {
    fail("{}: \"{}\" has an invalid prefix length", what, text);
  }
  if (net.address != net.network()) {
    fail("{}: \"{}\" has host bits set (did you mean {}?)", what, text,
         to_string(Ipv4Net{net.network(), net.prefix}));
  }
  return net;
}

std::string to_string(Ipv4 ip) {
  return std::to_string(ip.value >> 24) + "." + std::to_string((ip.value >> 16) & 0xff) + "." +
         std::to_string((ip.value >> 8) & 0xff) + "." + std::to_string(ip.value & 0xff);
}

std::string to_string(const Ipv4Net& net) {
  return to_string(net.address) + "/" + std::to_string(net.prefix);
}

}  // namespace podlet::network
