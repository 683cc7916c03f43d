// IPv4 addresses and subnets as plain values: parsing with errors that name the
// input, arithmetic for IPAM, formatting for netlink and nftables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace podlet::network {

struct Ipv4 {
  uint32_t value = 0;  // host byte order
  auto operator<=>(const Ipv4&) const = default;
};

struct Ipv4Net {
  Ipv4 address;  // the network address (host bits cleared by parse_cidr)
  int prefix = 0;

  uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  Ipv4 network() const { return {address.value & mask()}; }
  Ipv4 broadcast() const { return {network().value | ~mask()}; }
  bool contains(Ipv4 ip) const { return (ip.value & mask()) == network().value; }
  auto operator<=>(const Ipv4Net&) const = default;
};

// "10.90.0.5"; nullopt when not a dotted quad.
std::optional<Ipv4> try_parse_ipv4(const std::string& text);
// Throws podlet::Error naming `what` and the text.
Ipv4 parse_ipv4(const std::string& text, const std::string& what);
// "10.90.0.0/16"; host bits must be zero. Throws podlet::Error naming `what`.
Ipv4Net parse_cidr(const std::string& text, const std::string& what);

std::string to_string(Ipv4 ip);
std::string to_string(const Ipv4Net& net);

}  // namespace podlet::network
