#include "network/resolv.h"

#include <gtest/gtest.h>

namespace podlet::network {
namespace {

TEST(Resolv, ParsesWhatGlibcReads) {
  DnsSettings dns = parse_resolv_conf(
      "# comment\ndomain old.example\nsearch a.example b.example ; trailing\nnameserver 1.1.1.1\n"
      "nameserver 1.1.1.1\nnameserver 9.9.9.9 # x\noptions ndots:2 edns0\n");
  EXPECT_EQ(dns.searches, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(dns.nameservers, (std::vector<std::string>{"1.1.1.1", "9.9.9.9"}));
  EXPECT_EQ(dns.options, (std::vector<std::string>{"ndots:2", "edns0"}));
  EXPECT_EQ(render_resolv_conf(dns),
            "search a.example b.example\nnameserver 1.1.1.1\nnameserver 9.9.9.9\noptions ndots:2 edns0\n");
}

TEST(Resolv, DnsPolicyNoneRendersOnlyTheDnsConfig) {
  DnsSettings none = merge_dns_config({}, {{"8.8.8.8"}, {"svc.example"}, {"ndots:5"}});
  EXPECT_EQ(render_resolv_conf(none), "search svc.example\nnameserver 8.8.8.8\noptions ndots:5\n");
  EXPECT_EQ(render_resolv_conf({}), "");
}

TEST(Resolv, DnsConfigMergesIntoTheHostsAsKubernetesDoes) {
  DnsSettings merged = merge_dns_config({{"1.1.1.1"}, {"a.example"}, {"ndots:1", "edns0"}},
                                        {{"1.1.1.1", "8.8.8.8"}, {"b.example"}, {"ndots:5", "timeout:2"}});
  EXPECT_EQ(merged.nameservers, (std::vector<std::string>{"1.1.1.1", "8.8.8.8"}));
  EXPECT_EQ(merged.searches, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(merged.options, (std::vector<std::string>{"edns0", "ndots:5", "timeout:2"}));
}

TEST(Resolv, LoopbackResolversAreReplacedByTheirUpstreams) {
  std::string stub = "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n";
  DnsSettings dns = pod_dns_from_host(stub, "nameserver 192.168.1.1\nnameserver 127.0.0.1\n");
  EXPECT_EQ(dns.nameservers, std::vector<std::string>{"192.168.1.1"});
  EXPECT_EQ(dns.searches, std::vector<std::string>{"lan"});
  EXPECT_TRUE(pod_dns_from_host(stub).nameservers.empty());
  EXPECT_EQ(pod_dns_from_host("nameserver 10.0.0.1\n", "nameserver 5.5.5.5\n").nameservers,
            std::vector<std::string>{"10.0.0.1"});
}

}  // namespace
}  // namespace podlet::network
