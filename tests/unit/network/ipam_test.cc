#include "network/ipam.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/error.h"
#include "temp_dir.h"

namespace podlet::network {
namespace {

Allocation allocation(const std::string& pod, const std::string& ip,
                      std::vector<plan::PortMapping> ports = {}) {
  return Allocation{pod, parse_ipv4(ip, "ip"), "plv0", ProcessIdentity{::getpid(), 1}, std::move(ports)};
}

TEST(Ipv4, ParsesAndFormats) {
  EXPECT_EQ(to_string(parse_ipv4("10.90.3.4", "x")), "10.90.3.4");
  EXPECT_FALSE(try_parse_ipv4("10.90.3"));
  EXPECT_FALSE(try_parse_ipv4("010.1.1.1x"));
  Ipv4Net net = parse_cidr("10.90.0.0/16", "subnet");
  EXPECT_EQ(to_string(net.broadcast()), "10.90.255.255");
  EXPECT_TRUE(net.contains(parse_ipv4("10.90.200.1", "x")));
  EXPECT_FALSE(net.contains(parse_ipv4("10.91.0.1", "x")));
  EXPECT_EQ(parse_cidr("0.0.0.0/0", "any").mask(), 0u);
}

TEST(Ipv4, RejectsBadSubnetsNamingThem) {
  try {
    parse_cidr("10.90.0.1/16", "network subnet");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "network subnet: \"10.90.0.1/16\" has host bits set (did you mean 10.90.0.0/16?)");
  }
  EXPECT_THROW(parse_cidr("10.90.0.0", "s"), Error);
  EXPECT_THROW(parse_cidr("10.90.0.0/33", "s"), Error);
  EXPECT_THROW(parse_cidr("10.90.0.0/", "s"), Error);
  EXPECT_THROW(parse_cidr("10.90.0.0/1a", "s"), Error);
}

TEST(Ipam, HandsOutAddressesInOrderSkippingGatewayAndUsed) {
  Ipv4Net subnet = parse_cidr("10.90.0.0/16", "s");
  Ipv4 gateway = parse_ipv4("10.90.0.1", "g");
  IpamState state;
  EXPECT_EQ(to_string(next_free_address(state, subnet, gateway)), "10.90.0.2");
  state.pods["a"] = allocation("ns/a", "10.90.0.2");
  state.last = parse_ipv4("10.90.0.2", "l");
  EXPECT_EQ(to_string(next_free_address(state, subnet, gateway)), "10.90.0.3");
  // After a release the next pod does not reuse the freed address right away.
  state.pods.erase("a");
  EXPECT_EQ(to_string(next_free_address(state, subnet, gateway)), "10.90.0.3");
}

TEST(Ipam, WrapsAroundAndReportsAFullSubnet) {
  Ipv4Net subnet = parse_cidr("10.0.0.0/29", "s");  // hosts .1-.6
  Ipv4 gateway = parse_ipv4("10.0.0.1", "g");
  IpamState state;
  state.last = parse_ipv4("10.0.0.6", "l");
  EXPECT_EQ(to_string(next_free_address(state, subnet, gateway)), "10.0.0.2");
  for (int i = 2; i <= 6; ++i)
    state.pods[std::to_string(i)] = allocation("ns/p", "10.0.0." + std::to_string(i));
  try {
    next_free_address(state, subnet, gateway);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no free address left in subnet 10.0.0.0/29"), std::string::npos);
  }
  EXPECT_THROW(next_free_address(IpamState{}, parse_cidr("10.0.0.0/31", "s"), gateway), Error);
}

TEST(Ipam, NormalizesPorts) {
  auto ports = normalize_ports(
      {{"0.0.0.0", 8080, 80, "TCP"}, {"", 0, 53, "udp"}, {"127.0.0.1", 53, 53, "UDP"}}, "ns/p");
  ASSERT_EQ(ports.size(), 2u);  // the containerPort-only entry publishes nothing
  EXPECT_EQ(ports[0].host_ip, "");
  EXPECT_EQ(ports[0].protocol, "tcp");
  EXPECT_EQ(ports[1].protocol, "udp");
  EXPECT_THROW(normalize_ports({{"", 80, 80, "icmp"}}, "ns/p"), Error);
  EXPECT_THROW(normalize_ports({{"", 80, 0, "tcp"}}, "ns/p"), Error);
  EXPECT_THROW(normalize_ports({{"1.2.3", 80, 80, "tcp"}}, "ns/p"), Error);
  EXPECT_THROW(normalize_ports({{"", 80, 80, "tcp"}, {"1.2.3.4", 80, 81, "tcp"}}, "ns/p"), Error);
  EXPECT_NO_THROW(normalize_ports({{"", 80, 80, "tcp"}, {"", 80, 80, "udp"}}, "ns/p"));
}

TEST(Ipam, PortConflictsNameTheOtherPod) {
  IpamState state;
  state.pods["a"] = allocation("ns/a", "10.90.0.2", {{"", 8080, 80, "tcp"}, {"127.0.0.1", 9090, 90, "tcp"}});
  try {
    check_port_conflicts(state, "b", "ns/b", {{"", 8080, 81, "tcp"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "pod ns/b: hostPort 8080/tcp is already published by pod ns/a (10.90.0.2)");
  }
  EXPECT_THROW(check_port_conflicts(state, "b", "ns/b", {{"10.0.0.5", 8080, 81, "tcp"}}), Error);
  EXPECT_THROW(check_port_conflicts(state, "b", "ns/b", {{"", 9090, 81, "tcp"}}), Error);
  EXPECT_NO_THROW(check_port_conflicts(state, "b", "ns/b", {{"10.0.0.5", 9090, 81, "tcp"}}));
  EXPECT_NO_THROW(check_port_conflicts(state, "b", "ns/b", {{"", 8080, 81, "udp"}}));
  EXPECT_NO_THROW(check_port_conflicts(state, "a", "ns/a", {{"", 8080, 81, "tcp"}}));  // itself
}

TEST(Ipam, FindsStaleOwners) {
  IpamState state;
  state.pods["live"] = allocation("ns/live", "10.90.0.2");
  state.pods["dead"] = allocation("ns/dead", "10.90.0.3");
  state.pods["dead"].owner.pid = 999999;
  auto stale = stale_allocations(state, [](const ProcessIdentity& p) { return p.pid != 999999; });
  EXPECT_EQ(stale, std::vector<std::string>{"dead"});
}

TEST(ProcessIdentity, TellsARecycledPidFromTheOriginal) {
  ProcessIdentity self = identify_process(::getpid());
  EXPECT_TRUE(process_alive(self));
  EXPECT_FALSE(process_alive({self.pid, self.start_time + 1}));
  EXPECT_FALSE(process_alive({0, 0}));
  EXPECT_THROW(identify_process(0x3fffffff), Error);
}

TEST(IpamStore, RoundTripsThroughTheLockedFile) {
  testing::TempDir tmp;
  std::string dir = tmp.path() + "/nested/ipam";
  {
    IpamStore store(dir, "podlet0");
    store.state().subnet = "10.90.0.0/16";
    store.state().last = parse_ipv4("10.90.0.7", "l");
    store.state().pods["uid"] = allocation("ns/p", "10.90.0.7", {{"", 8080, 80, "udp"}});
    store.save();
  }
  {
    IpamStore store(dir, "podlet0");
    EXPECT_EQ(store.state().subnet, "10.90.0.0/16");
    EXPECT_EQ(to_string(store.state().last), "10.90.0.7");
    ASSERT_EQ(store.state().pods.count("uid"), 1u);
    const Allocation& a = store.state().pods.at("uid");
    EXPECT_EQ(a.pod, "ns/p");
    EXPECT_EQ(a.owner, (ProcessIdentity{::getpid(), 1}));
    ASSERT_EQ(a.ports.size(), 1u);
    EXPECT_EQ(a.ports[0].protocol, "udp");
  }
}

}  // namespace
}  // namespace podlet::network
