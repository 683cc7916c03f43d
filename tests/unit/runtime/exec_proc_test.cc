// What `podlet exec` reads of the container's workload: credentials and capability
// bounding set from /proc/PID/status, the environment from /proc/PID/environ.
#include <gtest/gtest.h>

#include "base/error.h"
#include "runtime/exec_proc.h"

namespace podlet::runtime {
namespace {

constexpr const char* kStatus =
    "Name:\tsh\n"
    "Umask:\t0022\n"
    "State:\tS (sleeping)\n"
    "Uid:\t1000\t1001\t1001\t1001\n"
    "Gid:\t2000\t2002\t2002\t2002\n"
    "Groups:\t2002 3000 \n"
    "CapInh:\t0000000000000000\n"
    "CapPrm:\t0000000000000000\n"
    "CapEff:\t0000000000000000\n"
    "CapBnd:\t0000000000000401\n"
    "CapAmb:\t0000000000000000\n"
    "NoNewPrivs:\t1\n"
    "Seccomp:\t2\n"
    "Seccomp_filters:\t1\n";

TEST(ExecCredentials, EffectiveIdsGroupsBoundingSetAndFlags) {
  auto c = parse_proc_status(kStatus);
  EXPECT_EQ(c.uid, 1001u);  // the effective id, not the real one
  EXPECT_EQ(c.gid, 2002u);
  EXPECT_EQ(c.groups, (std::vector<uint32_t>{2002, 3000}));
  EXPECT_EQ(c.cap_bounding, 0x401u);  // CAP_CHOWN | CAP_NET_BIND_SERVICE
  EXPECT_TRUE(c.no_new_privs);
  EXPECT_TRUE(c.seccomp);
}

TEST(ExecCredentials, RootWithoutFiltersAndNoGroups) {
  auto c = parse_proc_status(
      "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t\nCapBnd:\t000001ffffffffff\nNoNewPrivs:\t0\nSeccomp:"
      "\t0\n");
  EXPECT_EQ(c.uid, 0u);
  EXPECT_TRUE(c.groups.empty());
  EXPECT_EQ(c.cap_bounding, 0x1ffffffffffu);
  EXPECT_FALSE(c.no_new_privs);
  EXPECT_FALSE(c.seccomp);
}

TEST(ExecCredentials, MissingFieldsAreAnError) {
  EXPECT_THROW(parse_proc_status("Name:\tsh\nUid:\t0\t0\t0\t0\n"), Error);
  EXPECT_THROW(parse_proc_status("Uid:\tx\nGid:\t0\t0\t0\t0\nCapBnd:\t0\n"), Error);
}

TEST(ExecEnvironment, SplitsOnNulAndSkipsEmptyEntries) {
  const char raw[] = "PATH=/bin\0HOME=/root\0\0EMPTY=\0";
  std::string text(raw, sizeof raw - 1);
  EXPECT_EQ(parse_environ(text), (std::vector<std::string>{"PATH=/bin", "HOME=/root", "EMPTY="}));
  EXPECT_EQ(parse_environ(std::string("A=1", 3)), (std::vector<std::string>{"A=1"}));
  EXPECT_TRUE(parse_environ("").empty());
}

}  // namespace
}  // namespace podlet::runtime
