// The NAT of one pod network as one nftables table owned by podlet
// (`table ip podlet_<bridge>`), always rendered whole from the IPAM state and
// applied in one atomic transaction ("add; delete; define"), so it never holds
// half of an update and no other table is ever touched. With no pod left the
// script just deletes the table.
//
// Chains:
//   prerouting  (nat, dstnat)  fib daddr type local -> hostports   traffic arriving for a host address
//   output      (nat, -100)    fib daddr type local -> hostports   the host itself (127.0.0.1, own address)
//   hostports   per pod and port: [ip daddr HOSTIP] tcp|udp|sctp dport P dnat to POD:CP
//   postrouting (nat, srcnat)  masquerade: localhost -> pod (DNATed from 127.0.0.1; needs
//                              route_localnet on the bridge), pod -> hostPort of a pod (hairpin),
//                              pod subnet -> outside
#pragma once

#include <string>
#include <vector>

#include "network/ipv4.h"
#include "plan/runtime_spec.h"

namespace podlet::network {

struct NatPod {
  Ipv4 ip;
  std::vector<plan::PortMapping> ports;  // normalised (see normalize_ports)
};

// "podlet_" + the bridge name with every character outside [A-Za-z0-9_] as '_'.
std::string nft_table_name(const std::string& bridge);

// The whole script for the table; pure. Pods in the order given.
std::string render_nat_table(const std::string& table, const Ipv4Net& subnet,
                             const std::vector<NatPod>& pods);

// Runs an nft script through libnftables as one transaction; throws podlet::Error
// with nft's own message when it fails.
void run_nft(const std::string& script);
// `nft list table ip NAME` output, or "" when the table does not exist.
std::string list_nft_table(const std::string& table);

}  // namespace podlet::network
