#include "plan/pod_hosts.h"

#include <gtest/gtest.h>

namespace podlet::plan {
namespace {

const char* const kLocalhost =
    "# Kubernetes-managed hosts file (podlet).\n"
    "127.0.0.1\tlocalhost\n"
    "::1\tlocalhost ip6-localhost ip6-loopback\n"
    "fe00::0\tip6-localnet\n"
    "fe00::0\tip6-mcastprefix\n"
    "fe00::1\tip6-allnodes\n"
    "fe00::2\tip6-allrouters\n";

TEST(PodHosts, RendersOwnEntryAliasesAndPeers) {
  EXPECT_EQ(render_pod_hosts({"10.90.0.2", {"web"}}, {{"1.2.3.4", {"foo", "foo.local"}}},
                             {{"10.90.0.3", {"db", "db.default"}}}),
            std::string(kLocalhost) +
                "10.90.0.2\tweb\n"
                "\n# Entries added by HostAliases.\n"
                "1.2.3.4\tfoo\tfoo.local\n"
                "\n# Other pods on this network.\n"
                "10.90.0.3\tdb\tdb.default\n");
}

TEST(PodHosts, WithoutAnAddressOnlyLocalhostAndAliases) {
  EXPECT_EQ(render_pod_hosts({"", {"web"}}, {}), kLocalhost);
  EXPECT_EQ(render_pod_hosts({"", {"web"}}, {{"5.6.7.8", {"x"}}}),
            std::string(kLocalhost) + "\n# Entries added by HostAliases.\n5.6.7.8\tx\n");
}

TEST(PodHosts, HostNetworkKeepsTheHostsFileAndAddsAliases) {
  EXPECT_EQ(render_host_network_hosts("127.0.0.1 localhost", {}), "127.0.0.1 localhost\n");
  EXPECT_EQ(render_host_network_hosts("127.0.0.1 localhost\n", {{"5.6.7.8", {"x"}}}),
            "127.0.0.1 localhost\n\n# Entries added by HostAliases.\n5.6.7.8\tx\n");
}

TEST(PodHosts, OwnNamesAreHostnameNameAndNameDotNamespace) {
  InfraSpec spec;
  spec.pod = "shop/web-0";
  spec.hostname = "web";
  EXPECT_EQ(pod_host_names(spec), (std::vector<std::string>{"web", "web-0", "web-0.shop"}));
  spec.hostname = "web-0";
  EXPECT_EQ(pod_host_names(spec), (std::vector<std::string>{"web-0", "web-0.shop"}));
}

}  // namespace
}  // namespace podlet::plan
