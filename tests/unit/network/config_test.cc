#include "network/config.h"

#include <gtest/gtest.h>

#include "base/error.h"
#include "network/pod_network.h"

namespace podlet::network {
namespace {

TEST(NetworkConfig, DefaultsStayClearOfPodman) {
  NetworkConfig c = load_network_config("/nonexistent-podlet-root");
  EXPECT_EQ(c.bridge, "podlet0");
  EXPECT_EQ(c.subnet, "10.90.0.0/16");
  EXPECT_EQ(c.gateway, "10.90.0.1");
  EXPECT_EQ(c.mtu, 0u);
  plan::NetworkSpec defaults;
  EXPECT_EQ(defaults.subnet, c.subnet);
  EXPECT_EQ(defaults.bridge, c.bridge);
}

TEST(NetworkConfig, ParsesAndAppliesToASpec) {
  NetworkConfig c =
      parse_network_config(R"({"bridge": "br-pods", "subnet": "172.30.0.0/24", "mtu": 1400})", "f");
  EXPECT_EQ(c.gateway, "172.30.0.1");  // the subnet's first address when not given
  plan::NetworkSpec spec;
  spec.pod_uid = "u";
  apply_network_config(c, spec);
  EXPECT_EQ(spec.bridge, "br-pods");
  EXPECT_EQ(spec.subnet, "172.30.0.0/24");
  EXPECT_EQ(spec.gateway, "172.30.0.1");
  EXPECT_EQ(spec.mtu, 1400u);
  EXPECT_EQ(spec.pod_uid, "u");
}

TEST(NetworkConfig, RejectsWhatCannotWorkNamingFileAndKey) {
  auto message = [](const std::string& json) {
    try {
      parse_network_config(json, "/etc/x.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(R"({"subnet": "10.1.0.0/16", "gateway": "10.2.0.1"})"),
            "/etc/x.json: \"gateway\" 10.2.0.1 is not a host address of subnet 10.1.0.0/16");
  EXPECT_EQ(message(R"({"bridge": "a very long bridge name"})"),
            "/etc/x.json: \"bridge\": \"a very long bridge name\" must be 1 to 15 characters");
  EXPECT_EQ(message(R"({"bridge": "br;x"})"),
            "/etc/x.json: \"bridge\": \"br;x\" may only contain letters, digits, '-' and '_'");
  EXPECT_EQ(message(R"({"subnets": "x"})"),
            "/etc/x.json: unknown key \"subnets\" (known: bridge, subnet, gateway, mtu)");
  EXPECT_EQ(message(R"({"mtu": 10})"), "/etc/x.json: \"mtu\" must be a number from 68 to 65535");
  EXPECT_EQ(message(R"({"subnet": 5})"), "/etc/x.json: \"subnet\" must be a string");
  EXPECT_NE(message("{"), "no error");
  EXPECT_NE(message(R"({"subnet": "10.0.0.0/31"})"), "no error");
}

TEST(HostVeth, NameIsStableAndFitsIfnamsiz) {
  EXPECT_EQ(host_veth_name("3f2a"), host_veth_name("3f2a"));
  EXPECT_NE(host_veth_name("3f2a"), host_veth_name("3f2b"));
  EXPECT_EQ(host_veth_name("x").size(), 15u);
  EXPECT_EQ(host_veth_name("x").rfind("plv", 0), 0u);
}

}  // namespace
}  // namespace podlet::network
