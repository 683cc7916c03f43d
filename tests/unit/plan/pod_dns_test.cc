#include "plan/pod_dns.h"

#include <gtest/gtest.h>

namespace podlet::plan {
namespace {

using Strings = std::vector<std::string>;

manifest::PodSpec spec(const std::string& policy, bool host_network = false) {
  manifest::PodSpec s;
  s.dns_policy = policy;
  s.host_network = host_network;
  return s;
}

TEST(PodDns, ParsesWhatGlibcReads) {
  DnsSettings dns = parse_resolv_conf(
      "# comment\ndomain old.example\nsearch a.example b.example. ; trailing\nnameserver 1.1.1.1\n"
      "nameserver 1.1.1.1\nnameserver 9.9.9.9 # x\noptions rotate\noptions ndots:2 edns0 ndots:3\n");
  EXPECT_EQ(dns.searches, (Strings{"a.example", "b.example"}));
  EXPECT_EQ(dns.nameservers, (Strings{"1.1.1.1", "9.9.9.9"}));
  EXPECT_EQ(dns.options, (Strings{"ndots:3", "edns0"}));  // the last options line, as the kubelet
  EXPECT_EQ(render_resolv_conf(dns),
            "nameserver 1.1.1.1\nnameserver 9.9.9.9\nsearch a.example b.example\noptions ndots:3 edns0\n");
  EXPECT_EQ(render_resolv_conf({}), "");
}

TEST(PodDns, PolicyNoneIsTheDnsConfigAlone) {
  auto s = spec("None");
  s.dns_config = manifest::PodDNSConfig{{"8.8.8.8"}, {"svc.example"}, {{"ndots", "5"}, {"edns0", {}}}};
  EXPECT_EQ(pod_resolv_conf(s, "nameserver 9.9.9.9\nsearch lan\n", ""),
            "nameserver 8.8.8.8\nsearch svc.example\noptions ndots:5 edns0\n");
}

TEST(PodDns, EveryOtherPolicyIsTheHostsResolverWithoutClusterDns) {
  const std::string host = "nameserver 9.9.9.9\nsearch lan\noptions ndots:1 edns0\n";
  for (const char* policy : {"Default", "ClusterFirst", "ClusterFirstWithHostNet"}) {
    SCOPED_TRACE(policy);
    EXPECT_EQ(pod_resolv_conf(spec(policy), host, ""), host);
    EXPECT_EQ(pod_resolv_conf(spec(policy, true), host, ""), host);
  }
  EXPECT_EQ(pod_resolv_conf(spec("Default"), "", ""), "");  // no resolver on the host
}

TEST(PodDns, DnsConfigMergesIntoTheHostsAsTheKubeletDoes) {
  auto s = spec("ClusterFirst");
  s.dns_config = manifest::PodDNSConfig{
      {"1.1.1.1", "8.8.8.8"}, {"b.example", "a.example"}, {{"ndots", "5"}, {"timeout", "2"}, {"edns0", {}}}};
  EXPECT_EQ(pod_resolv_conf(s, "nameserver 1.1.1.1\nsearch a.example\noptions ndots:1 edns0\n", ""),
            "nameserver 1.1.1.1\nnameserver 8.8.8.8\nsearch a.example b.example\noptions ndots:5 edns0 "
            "timeout:2\n");
}

TEST(PodDns, LoopbackResolversAreReplacedByTheirUpstreamsOnTheBridgeOnly) {
  const std::string stub = "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n";
  const std::string upstream = "nameserver 192.168.1.1\nnameserver 127.0.0.1\nsearch lan\n";
  EXPECT_EQ(pod_resolv_conf(spec("ClusterFirst"), stub, upstream),
            "nameserver 192.168.1.1\nsearch lan\noptions edns0 trust-ad\n");
  // Without systemd-resolved's list there is nothing the pod could reach.
  EXPECT_EQ(pod_resolv_conf(spec("Default"), stub, ""), "search lan\noptions edns0 trust-ad\n");
  // A host without a loopback resolver is used as it is.
  EXPECT_EQ(pod_resolv_conf(spec("Default"), "nameserver 10.0.0.1\nnameserver ::1\n", "nameserver 5.5.5.5\n"),
            "nameserver 10.0.0.1\nnameserver 5.5.5.5\n");
  // hostNetwork pods reach the host's loopback resolver.
  EXPECT_EQ(pod_resolv_conf(spec("ClusterFirst", true), stub, upstream),
            "nameserver 127.0.0.53\nsearch lan\noptions edns0 trust-ad\n");
  EXPECT_EQ(pod_resolv_conf(spec("ClusterFirstWithHostNet", true), stub, upstream),
            "nameserver 127.0.0.53\nsearch lan\noptions edns0 trust-ad\n");
}

TEST(PodDns, KubeletLimits) {
  auto s = spec("Default");
  s.dns_config = manifest::PodDNSConfig{{"4.4.4.4", "5.5.5.5"}, {std::string(254, 'x'), "ok.example"}, {}};
  EXPECT_EQ(pod_resolv_conf(s, "nameserver 1.1.1.1\nnameserver 2.2.2.2\n", ""),
            "nameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 4.4.4.4\nsearch ok.example\n");

  // At most 32 search domains, then whole domains cut from the end until the line has 2048 characters.
  s.dns_config = manifest::PodDNSConfig{};
  for (int i = 0; i < 40; ++i) s.dns_config->searches.push_back("d" + std::to_string(i) + ".example");
  DnsSettings dns = parse_resolv_conf(pod_resolv_conf(s, "", ""));
  ASSERT_EQ(dns.searches.size(), 32u);
  EXPECT_EQ(dns.searches.back(), "d31.example");
  s.dns_config->searches.clear();
  for (int i = 0; i < 10; ++i) s.dns_config->searches.push_back(std::string(250, static_cast<char>('a' + i)));
  dns = parse_resolv_conf(pod_resolv_conf(s, "", ""));
  ASSERT_EQ(dns.searches.size(), 8u);  // 8 * 251 - 1 = 2007 characters; 9 would be 2258
  EXPECT_EQ(dns.searches.back(), std::string(250, 'h'));
}

}  // namespace
}  // namespace podlet::plan
