#include "network/hosts.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "temp_dir.h"

namespace podlet::network {
namespace {

TEST(Hosts, RewriteKeepsTheInode) {
  testing::TempDir tmp;
  std::string path = tmp.path() + "/hosts";
  rewrite_in_place(path, "a long first version of the file\n");
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  rewrite_in_place(path, "short\n");
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
  EXPECT_EQ(read_file(path), "short\n");
}

class HostsRegistryTest : public ::testing::Test {
 protected:
  HostsRecord record(const std::string& id, const std::string& ip, const std::string& network = "podlet0") {
    HostsRecord r;
    r.pod_id = "default_" + id;
    r.network = network;
    r.self = {ip, {id}};
    r.hosts_file = tmp_.path() + "/" + id + ".hosts";
    r.owner = identify_process(::getpid());
    rewrite_in_place(r.hosts_file, "");
    return r;
  }
  std::string hosts_of(const std::string& id) { return read_file(tmp_.path() + "/" + id + ".hosts"); }
  static bool lists(const std::string& hosts, const std::string& entry) {
    return hosts.find(entry) != std::string::npos;
  }

  testing::TempDir tmp_;
};

TEST_F(HostsRegistryTest, PodsSeeEachOtherAsTheyComeAndGo) {
  std::string runroot = tmp_.path() + "/run";
  publish_pod_hosts(runroot, record("a", "10.90.0.2"));
  EXPECT_TRUE(lists(hosts_of("a"), "10.90.0.2\ta\n"));
  EXPECT_FALSE(lists(hosts_of("a"), "Other pods"));

  publish_pod_hosts(runroot, record("b", "10.90.0.3"));
  publish_pod_hosts(runroot, record("other", "10.91.0.2", "otherbr"));
  EXPECT_TRUE(lists(hosts_of("a"), "10.90.0.3\tb\n"));
  EXPECT_TRUE(lists(hosts_of("b"), "10.90.0.2\ta\n"));
  EXPECT_TRUE(lists(hosts_of("b"), "10.90.0.3\tb\n"));
  EXPECT_FALSE(lists(hosts_of("a"), "other"));  // another network
  EXPECT_EQ(list_pod_hosts(runroot).size(), 3u);

  withdraw_pod_hosts(runroot, "default_b");
  EXPECT_FALSE(lists(hosts_of("a"), "\tb\n"));
  withdraw_pod_hosts(runroot, "default_b");  // idempotent
  EXPECT_EQ(list_pod_hosts(runroot).size(), 2u);
}

TEST_F(HostsRegistryTest, DeadPodsDisappearFromTheOthers) {
  std::string runroot = tmp_.path() + "/run";
  HostsRecord dead = record("dead", "10.90.0.9");
  dead.owner.start_time += 1;  // a pid that no longer names the infra
  publish_pod_hosts(runroot, dead, [](const ProcessIdentity&) { return true; });
  publish_pod_hosts(runroot, record("a", "10.90.0.2"), [](const ProcessIdentity&) { return true; });
  EXPECT_TRUE(lists(hosts_of("a"), "10.90.0.9\tdead\n"));
  publish_pod_hosts(runroot, record("b", "10.90.0.3"));
  EXPECT_FALSE(lists(hosts_of("a"), "dead"));
  EXPECT_FALSE(lists(hosts_of("b"), "dead"));
  EXPECT_EQ(list_pod_hosts(runroot).size(), 2u);
}

}  // namespace
}  // namespace podlet::network
