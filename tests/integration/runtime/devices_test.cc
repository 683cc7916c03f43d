// The container's root as it sees it: overlay root, /proc, a minimal /dev with a
// private devpts instance, the pod's /dev/shm and mqueue, read-only /sys.
#include <gtest/gtest.h>

#include "runtime_test.h"

namespace podlet::test {
namespace {

// The mount at `point` in the probe's mount table (the top one when stacked).
nlohmann::json mount_at(nlohmann::json report, const std::string& point) {
  nlohmann::json found;
  for (const auto& m : report["mounts"])
    if (m["mount_point"] == point) found = m;
  return found;
}

bool has_option(nlohmann::json mount, const std::string& option) {
  std::string options = "," + mount.value("options", "") + ",";
  return options.find("," + option + ",") != std::string::npos;
}

class DevicesTest : public RuntimeTest {
 protected:
  void SetUp() override {
    pod.start();
    report = pod.probe("c", {"report", "/dev/pts", "/dev/null", "/dev/full"});
    ASSERT_TRUE(report.is_object());
  }
  Pod pod{sandbox, "devices", image};
  nlohmann::json report;
};

TEST_F(DevicesTest, CharacterDevices) {
  struct Expected {
    const char* name;
    int major, minor;
  };
  for (auto [name, major, minor] :
       {Expected{"null", 1, 3}, Expected{"zero", 1, 5}, Expected{"full", 1, 7}, Expected{"random", 1, 8},
        Expected{"urandom", 1, 9}, Expected{"tty", 5, 0}}) {
    auto dev = report["dev"][name];
    EXPECT_EQ(dev["type"], "c") << name;
    EXPECT_EQ(dev["major"], major) << name;
    EXPECT_EQ(dev["minor"], minor) << name;
    EXPECT_EQ(dev["mode"], 0666) << name;
  }
  EXPECT_EQ(report["paths"]["/dev/null"]["open_write"], "ok");
  EXPECT_EQ(report["paths"]["/dev/full"]["read_bytes"], 4096);
}

TEST_F(DevicesTest, LinksAndNothingElseOfTheHost) {
  auto dev = report["dev"];
  EXPECT_EQ(dev["ptmx"]["type"], "l");
  EXPECT_EQ(dev["ptmx"]["target"], "pts/ptmx");
  EXPECT_EQ(dev["fd"]["target"], "/proc/self/fd");
  EXPECT_EQ(dev["stdin"]["target"], "/proc/self/fd/0");
  for (const char* dir : {"pts", "shm", "mqueue"}) EXPECT_EQ(dev[dir]["type"], "d") << dir;
  for (auto it = dev.begin(); it != dev.end(); ++it)
    EXPECT_NE(it.value()["type"], "b") << "/dev/" << it.key() << ": a block device reached the container";
  EXPECT_FALSE(dev.contains("sda") || dev.contains("vda") || dev.contains("kmsg") || dev.contains("mem"));
}

TEST_F(DevicesTest, MountTable) {
  auto root = mount_at(report, "/");
  EXPECT_EQ(root["fstype"], "overlay") << report["mounts"].dump();

  auto proc = mount_at(report, "/proc");
  EXPECT_EQ(proc["fstype"], "proc");
  for (const char* option : {"nosuid", "nodev", "noexec"}) EXPECT_TRUE(has_option(proc, option)) << option;

  auto dev = mount_at(report, "/dev");
  EXPECT_EQ(dev["fstype"], "tmpfs");
  EXPECT_TRUE(has_option(dev, "nosuid"));

  // A private devpts instance: only its own ptmx, none of the host's terminals.
  auto pts = mount_at(report, "/dev/pts");
  EXPECT_EQ(pts["fstype"], "devpts");
  EXPECT_NE(pts.value("super_options", "").find("ptmxmode=666"), std::string::npos) << pts.dump();
  EXPECT_EQ(report["paths"]["/dev/pts"]["entries"], 1) << report["paths"]["/dev/pts"].dump();

  auto shm = mount_at(report, "/dev/shm");
  EXPECT_EQ(shm["fstype"], "tmpfs") << "the pod's shared /dev/shm";
  for (const char* option : {"nosuid", "nodev", "noexec"}) EXPECT_TRUE(has_option(shm, option)) << option;

  EXPECT_EQ(mount_at(report, "/dev/mqueue")["fstype"], "mqueue");

  auto sys = mount_at(report, "/sys");
  EXPECT_EQ(sys["fstype"], "sysfs");
  EXPECT_TRUE(has_option(sys, "ro")) << sys.dump();

  // Nothing of the host's own mounts stays reachable after pivot_root.
  for (const auto& m : report["mounts"]) {
    std::string point = m["mount_point"];
    EXPECT_EQ(point.find(sandbox.dir()), std::string::npos) << point;
    EXPECT_NE(point, "/work") << "a host mount is visible";
  }
}

}  // namespace
}  // namespace podlet::test
