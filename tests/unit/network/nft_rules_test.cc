#include "network/nft_rules.h"

#include <gtest/gtest.h>

namespace podlet::network {
namespace {

TEST(NftRules, TableNameIsSafe) {
  EXPECT_EQ(nft_table_name("podlet0"), "podlet_podlet0");
  EXPECT_EQ(nft_table_name("br-pods"), "podlet_br_pods");
}

TEST(NftRules, NoPodsDeletesTheTable) {
  EXPECT_EQ(render_nat_table("podlet_podlet0", parse_cidr("10.90.0.0/16", "s"), {}),
            "add table ip podlet_podlet0\ndelete table ip podlet_podlet0\n");
}

TEST(NftRules, RendersTheWholeTableAtomically) {
  std::vector<NatPod> pods = {
      {parse_ipv4("10.90.0.2", "ip"), {{"", 8080, 80, "tcp"}, {"127.0.0.1", 5353, 53, "udp"}}},
      {parse_ipv4("10.90.0.3", "ip"), {}},
  };
  EXPECT_EQ(render_nat_table("podlet_podlet0", parse_cidr("10.90.0.0/16", "s"), pods),
            R"(add table ip podlet_podlet0
delete table ip podlet_podlet0
table ip podlet_podlet0 {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    fib daddr type local jump hostports
  }
  chain output {
    type nat hook output priority -100; policy accept;
    fib daddr type local jump hostports
  }
  chain hostports {
    tcp dport 8080 dnat to 10.90.0.2:80
    ip daddr 127.0.0.1 udp dport 5353 dnat to 10.90.0.2:53
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr 127.0.0.0/8 ip daddr 10.90.0.0/16 masquerade
    ct status dnat ip saddr 10.90.0.0/16 ip daddr 10.90.0.0/16 masquerade
    ip saddr 10.90.0.0/16 ip daddr != 10.90.0.0/16 masquerade
  }
}
)");
}

}  // namespace
}  // namespace podlet::network
