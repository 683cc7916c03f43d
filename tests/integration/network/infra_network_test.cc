// The infra's network steps as `podlet internal infra` runs them, in test
// namespaces: attach, publish /etc/hosts, detach; pods find each other by name.
#include "network/infra_network.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "base/atomic_file.h"
#include "base/error.h"
#include "net_helpers.h"
#include "network/hosts.h"
#include "network/netlink.h"
#include "network/pod_network.h"

namespace podlet::network {
namespace {

using namespace testing;

class InfraNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/podlet-infra-net.XXXXXX";
    ASSERT_TRUE(::mkdtemp(tmpl));
    paths_.root = tmpl;
    paths_.runroot = std::string(tmpl) + "/run";
    in_host_ = std::make_unique<NetnsScope>(host_.fd());
  }
  void TearDown() override {
    in_host_.reset();
    std::error_code ec;
    std::filesystem::remove_all(paths_.root, ec);
  }
  plan::InfraSpec infra(const std::string& name) {
    plan::InfraSpec s;
    s.pod = "default/" + name;
    s.pod_id = "default_" + name;
    s.pod_uid = "uid-" + name;
    s.hostname = name;
    s.network.pod_uid = s.pod_uid;
    s.etc_hosts = paths_.root + "/" + name + ".hosts";
    s.host_aliases = {{"192.0.2.7", {"legacy"}}};
    return s;
  }
  std::string hosts(const plan::InfraSpec& s) { return read_file(s.etc_hosts); }

  TestNetns host_;
  std::unique_ptr<NetnsScope> in_host_;
  plan::Paths paths_;
};

TEST_F(InfraNetworkTest, PodsFindEachOtherByNameAndLeaveCleanly) {
  TestNetns web_ns, db_ns;
  plan::InfraSpec web = infra("web"), db = infra("db");
  std::string web_ip = attach_infra_network(web, paths_, ::getpid(), web_ns.fd());
  write_file_atomic(web.etc_hosts, "written by the runtime\n");
  publish_infra_hosts(web, paths_, web_ip, ::getpid());
  std::string db_ip = attach_infra_network(db, paths_, ::getpid(), db_ns.fd());
  write_file_atomic(db.etc_hosts, "written by the runtime\n");
  publish_infra_hosts(db, paths_, db_ip, ::getpid());

  EXPECT_NE(hosts(web).find(web_ip + "\tweb\tweb.default\n"), std::string::npos) << hosts(web);
  EXPECT_NE(hosts(web).find(db_ip + "\tdb\tdb.default\n"), std::string::npos) << hosts(web);
  EXPECT_NE(hosts(db).find(web_ip + "\tweb\tweb.default\n"), std::string::npos) << hosts(db);
  EXPECT_NE(hosts(db).find("192.0.2.7\tlegacy\n"), std::string::npos);
  // The name web resolves to in db's hosts file answers.
  UniqueFd server = tcp_listen(web_ns.fd(), 80);
  EXPECT_TRUE(tcp_exchange(db_ns.fd(), web_ip, 80, server.get()));

  detach_infra_network(web, paths_);
  detach_infra_network(web, paths_);  // ExecStopPost after a failed start runs it again: fine
  EXPECT_EQ(hosts(db).find("web"), std::string::npos) << hosts(db);
  EXPECT_FALSE(Netlink().link_exists(host_veth_name(web.pod_uid)));
  ASSERT_EQ(list_attachments(db.network, paths_.ipam()).size(), 1u);

  detach_infra_network(db, paths_);
  EXPECT_TRUE(list_attachments(db.network, paths_.ipam()).empty());
  EXPECT_FALSE(Netlink().link_exists("podlet0"));
}

TEST_F(InfraNetworkTest, HostNetworkPodsAreLeftAlone) {
  plan::InfraSpec s = infra("hostnet");
  s.network.enabled = false;
  EXPECT_EQ(attach_infra_network(s, paths_, ::getpid(), -1), "");
  write_file_atomic(s.etc_hosts, "written by the runtime\n");
  publish_infra_hosts(s, paths_, "", ::getpid());
  // The host's own /etc/hosts, then the hostAliases; no registry entry.
  std::string host_hosts = read_file("/etc/hosts");
  EXPECT_EQ(hosts(s).substr(0, host_hosts.size()), host_hosts);
  EXPECT_NE(hosts(s).find("192.0.2.7\tlegacy\n"), std::string::npos) << hosts(s);
  EXPECT_TRUE(list_pod_hosts(paths_.runroot).empty());
  detach_infra_network(s, paths_);
  EXPECT_FALSE(Netlink().link_exists("podlet0"));
}

}  // namespace
}  // namespace podlet::network
