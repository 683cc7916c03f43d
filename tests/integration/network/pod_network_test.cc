// Pods attached for real, in network namespaces the test creates: a "host"
// namespace the test thread enters, pod namespaces, and an "outside" namespace
// linked to the host by a veth (192.168.77.1 host, 192.168.77.2 outside).
// Everything (bridge, veths, nft table) vanishes with the namespaces.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <set>

#include "base/error.h"
#include "net_helpers.h"
#include "network/ipam.h"
#include "network/netlink.h"
#include "network/nft_rules.h"
#include "network/pod_network.h"
#include "network/sysctl.h"

namespace podlet::network {
namespace {

using namespace testing;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/podlet-net-test.XXXXXX";
    if (!::mkdtemp(tmpl)) throw system_error("mkdtemp");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class PodNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    link_namespaces(host_.fd(), "ext0", "192.168.77.1", outside_.fd(), "ext1", "192.168.77.2", 24);
    in_host_ = std::make_unique<NetnsScope>(host_.fd());
  }
  void TearDown() override { in_host_.reset(); }

  static plan::NetworkSpec spec(const std::string& uid, std::vector<plan::PortMapping> ports = {}) {
    plan::NetworkSpec s;
    s.pod_uid = uid;
    s.ports = std::move(ports);
    return s;
  }
  Attachment attach(const plan::NetworkSpec& s, const TestNetns& pod,
                    const std::string& name = "default/pod") {
    return attach_pod(s, ipam_.path(), pod.fd(), name, ::getpid());
  }
  size_t allocations() { return list_attachments(spec(""), ipam_.path()).size(); }

  TestNetns host_;
  TestNetns outside_;
  std::unique_ptr<NetnsScope> in_host_;
  TempDir ipam_;
};

TEST_F(PodNetworkTest, TwoPodsReachEachOtherTheGatewayAndTheHost) {
  TestNetns a, b;
  Attachment aa = attach(spec("uid-a"), a, "default/a");
  Attachment ab = attach(spec("uid-b"), b, "default/b");
  EXPECT_NE(aa.ip, ab.ip);
  EXPECT_EQ(aa.gateway, "10.90.0.1");
  EXPECT_EQ(aa.prefix, 16);
  EXPECT_EQ(get_sysctl("net/ipv4/ip_forward"), "1");

  Netlink host;
  EXPECT_EQ(host.link_type("podlet0"), "bridge");
  EXPECT_EQ(host.link_master(aa.host_veth), "podlet0");
  Netlink in_a = Netlink::in_netns(a.fd());
  EXPECT_EQ(in_a.link_mtu("eth0"), host.link_mtu("podlet0"));
  EXPECT_TRUE(in_a.has_default_route_via(parse_ipv4("10.90.0.1", "gw")));
  {
    NetnsScope in_pod(a.fd());  // ICMP echo sockets for every group (ping without CAP_NET_RAW)
    EXPECT_EQ(get_sysctl("net/ipv4/ping_group_range"), "0\t2147483647");
  }

  EXPECT_TRUE(ping(a.fd(), "10.90.0.1"));
  EXPECT_TRUE(ping(a.fd(), ab.ip));
  EXPECT_TRUE(ping(host_.fd(), aa.ip));

  UniqueFd server_b = tcp_listen(b.fd(), 8000);
  auto ab_tcp = tcp_exchange(a.fd(), ab.ip, 8000, server_b.get());
  ASSERT_TRUE(ab_tcp);
  EXPECT_EQ(ab_tcp->server_saw_peer, aa.ip);  // pod to pod: no NAT
  EXPECT_EQ(ab_tcp->echoed, "hello");

  UniqueFd server_a = tcp_listen(a.fd(), 8001);
  auto host_tcp = tcp_exchange(host_.fd(), aa.ip, 8001, server_a.get());
  ASSERT_TRUE(host_tcp);
  EXPECT_EQ(host_tcp->server_saw_peer, "10.90.0.1");

  detach_pod(spec("uid-a"), ipam_.path());
  detach_pod(spec("uid-b"), ipam_.path());
}

TEST_F(PodNetworkTest, OutboundTrafficIsMasqueraded) {
  TestNetns pod;
  attach(spec("uid-m"), pod);
  UniqueFd server = tcp_listen(outside_.fd(), 9000);
  auto result = tcp_exchange(pod.fd(), "192.168.77.2", 9000, server.get());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->server_saw_peer, "192.168.77.1");
  detach_pod(spec("uid-m"), ipam_.path());
}

TEST_F(PodNetworkTest, HostPortsAnswerOnHostAddressesAndLocalhost) {
  TestNetns pod;
  attach(spec("uid-p", {{"", 8080, 80, "TCP"}, {"", 5353, 53, "UDP"}, {"127.0.0.1", 8081, 81, "tcp"}}), pod);
  UniqueFd tcp80 = tcp_listen(pod.fd(), 80);
  UniqueFd tcp81 = tcp_listen(pod.fd(), 81);
  UniqueFd udp53 = udp_bind(pod.fd(), 53);

  auto from_outside = tcp_exchange(outside_.fd(), "192.168.77.1", 8080, tcp80.get());
  ASSERT_TRUE(from_outside);
  EXPECT_EQ(from_outside->server_saw_peer, "192.168.77.2");  // DNAT only: the client address is kept
  EXPECT_TRUE(tcp_exchange(host_.fd(), "192.168.77.1", 8080, tcp80.get()));
  EXPECT_TRUE(tcp_exchange(host_.fd(), "127.0.0.1", 8080, tcp80.get()));

  EXPECT_EQ(udp_exchange(outside_.fd(), "192.168.77.1", 5353, udp53.get()), "re:ping");
  EXPECT_EQ(udp_exchange(host_.fd(), "127.0.0.1", 5353, udp53.get()), "re:ping");

  // Another pod reaches the hostPort through the host's address (masqueraded, so replies return via the
  // host).
  TestNetns other;
  attach(spec("uid-other"), other, "default/other");
  auto from_pod = tcp_exchange(other.fd(), "192.168.77.1", 8080, tcp80.get());
  ASSERT_TRUE(from_pod);
  EXPECT_EQ(from_pod->server_saw_peer, "10.90.0.1");
  detach_pod(spec("uid-other"), ipam_.path());

  // hostIP 127.0.0.1: only there.
  EXPECT_TRUE(tcp_exchange(host_.fd(), "127.0.0.1", 8081, tcp81.get()));
  EXPECT_FALSE(tcp_exchange(outside_.fd(), "192.168.77.1", 8081, tcp81.get()));
  detach_pod(spec("uid-p"), ipam_.path());
}

TEST_F(PodNetworkTest, ConflictingHostPortFailsCleanlyAndTheFirstPodKeepsWorking) {
  TestNetns first, second;
  attach(spec("uid-1", {{"", 8080, 80, "tcp"}}), first, "default/first");
  try {
    attach(spec("uid-2", {{"", 8080, 8080, "tcp"}}), second, "default/second");
    FAIL() << "the second pod got a hostPort already taken";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("hostPort 8080/tcp is already published by pod default/first"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(Netlink().link_exists(host_veth_name("uid-2")));
  EXPECT_FALSE(Netlink::in_netns(second.fd()).link_exists("eth0"));
  EXPECT_EQ(allocations(), 1u);
  // Same port on UDP is another port.
  attach(spec("uid-3", {{"", 8080, 8080, "udp"}}), second, "default/third");

  UniqueFd server = tcp_listen(first.fd(), 80);
  EXPECT_TRUE(tcp_exchange(outside_.fd(), "192.168.77.1", 8080, server.get()));
  detach_pod(spec("uid-1"), ipam_.path());
  detach_pod(spec("uid-3"), ipam_.path());
}

TEST_F(PodNetworkTest, DetachLeavesNoLinkAllocationOrRule) {
  TestNetns a, b;
  Attachment aa = attach(spec("uid-a", {{"", 8080, 80, "tcp"}}), a);
  attach(spec("uid-b", {{"", 8081, 80, "tcp"}}), b);
  std::string table = nft_table_name("podlet0");
  EXPECT_NE(list_nft_table(table).find("dport 8080"), std::string::npos);

  detach_pod(spec("uid-a"), ipam_.path());
  detach_pod(spec("uid-a"), ipam_.path());  // idempotent
  Netlink host;
  EXPECT_FALSE(host.link_exists(aa.host_veth));
  EXPECT_FALSE(Netlink::in_netns(a.fd()).link_exists("eth0"));
  std::string rules = list_nft_table(table);
  EXPECT_EQ(rules.find("dport 8080"), std::string::npos);
  EXPECT_NE(rules.find("dport 8081"), std::string::npos);
  EXPECT_EQ(allocations(), 1u);

  detach_pod(spec("uid-b"), ipam_.path());
  EXPECT_EQ(allocations(), 0u);
  EXPECT_EQ(list_nft_table(table), "");
  EXPECT_FALSE(host.link_exists("podlet0"));
}

TEST_F(PodNetworkTest, FailedAttachRollsBackEverything) {
  TestNetns pod;
  Netlink::in_netns(pod.fd()).create_bridge("eth0", 0);  // the pod's eth0 name is taken
  EXPECT_THROW(attach(spec("uid-x", {{"", 8080, 80, "tcp"}}), pod), Error);
  Netlink host;
  EXPECT_FALSE(host.link_exists(host_veth_name("uid-x")));
  EXPECT_FALSE(host.link_exists("podlet0"));
  EXPECT_EQ(allocations(), 0u);
  EXPECT_EQ(list_nft_table(nft_table_name("podlet0")), "");
}

TEST_F(PodNetworkTest, AllocationOfADeadInfraIsReclaimed) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  TestNetns dead_pod, live_pod;
  Attachment dead = attach_pod(spec("uid-dead", {{"", 8080, 80, "tcp"}}), ipam_.path(), dead_pod.fd(),
                               "default/dead", child);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(allocations(), 1u);

  // The dead pod's hostPort is free again; its allocation and veth are gone.
  attach(spec("uid-live", {{"", 8080, 80, "tcp"}}), live_pod, "default/live");
  auto pods = list_attachments(spec(""), ipam_.path());
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(pods[0].first, "uid-live");
  EXPECT_FALSE(Netlink().link_exists(dead.host_veth));
  detach_pod(spec("uid-live"), ipam_.path());
}

TEST_F(PodNetworkTest, ReclaimStalePodsReleasesOnlyDeadOwners) {
  TestNetns a, b;
  attach(spec("uid-a"), a);
  attach(spec("uid-b"), b);
  auto dropped = reclaim_stale_pods(spec(""), ipam_.path(), [](const ProcessIdentity&) { return false; });
  EXPECT_EQ(dropped.size(), 2u);
  EXPECT_EQ(allocations(), 0u);
  EXPECT_FALSE(Netlink().link_exists("podlet0"));
  EXPECT_TRUE(reclaim_stale_pods(spec(""), ipam_.path()).empty());
}

TEST_F(PodNetworkTest, FiftyConcurrentAttachesGetFiftyDistinctAddresses) {
  constexpr int kPods = 50;
  std::vector<std::unique_ptr<TestNetns>> pods;
  for (int i = 0; i < kPods; ++i) pods.push_back(std::make_unique<TestNetns>());
  Pipe results = make_pipe();
  std::vector<pid_t> children;
  for (int i = 0; i < kPods; ++i) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      std::string line;
      try {
        // The test process owns the allocations: the children exit right away.
        Attachment a = attach_pod(spec("uid-" + std::to_string(i)), ipam_.path(), pods[i]->fd(),
                                  "default/p" + std::to_string(i), ::getppid());
        line = a.ip + "\n";
      } catch (const std::exception& e) {
        line = std::string("ERROR ") + e.what() + "\n";
      }
      write_all(results.write.get(), line);
      ::_exit(0);
    }
    children.push_back(pid);
  }
  results.write.reset();
  for (pid_t pid : children) ::waitpid(pid, nullptr, 0);
  std::string out = read_all(results.read.get());
  std::set<std::string> ips;
  size_t lines = 0;
  for (size_t pos = 0, end; (end = out.find('\n', pos)) != std::string::npos; pos = end + 1) {
    std::string line = out.substr(pos, end - pos);
    EXPECT_EQ(line.rfind("ERROR", 0), std::string::npos) << line;
    ips.insert(line);
    ++lines;
  }
  EXPECT_EQ(lines, size_t{kPods});
  EXPECT_EQ(ips.size(), size_t{kPods});
  EXPECT_EQ(allocations(), size_t{kPods});
  for (int i = 0; i < kPods; ++i) EXPECT_TRUE(Netlink::in_netns(pods[i]->fd()).link_exists("eth0"));

  for (int i = 0; i < kPods; ++i) detach_pod(spec("uid-" + std::to_string(i)), ipam_.path());
  EXPECT_EQ(allocations(), 0u);
  EXPECT_FALSE(Netlink().link_exists("podlet0"));
}

}  // namespace
}  // namespace podlet::network
