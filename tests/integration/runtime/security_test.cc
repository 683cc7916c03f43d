// Isolation as strict as Podman's defaults, seen from inside the container:
// capabilities, no_new_privs, seccomp, masked and read-only paths, inherited fds.
#include <linux/capability.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "base/atomic_file.h"
#include "runtime_test.h"
#include "spec_check.h"

namespace podlet::test {
namespace {

uint64_t bits(std::initializer_list<int> caps) {
  uint64_t mask = 0;
  for (int cap : caps) mask |= uint64_t{1} << cap;
  return mask;
}

const uint64_t kPodmanDefault =
    bits({CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_NET_BIND_SERVICE, CAP_SETFCAP,
          CAP_SETGID, CAP_SETPCAP, CAP_SETUID, CAP_SYS_CHROOT});

bool host_has(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

void expect_caps(nlohmann::json report, uint64_t expected) {
  auto caps = report["caps"];
  EXPECT_EQ(cap_mask(caps["bnd"]), expected) << caps.dump();
  EXPECT_EQ(cap_mask(caps["prm"]), expected) << caps.dump();
  EXPECT_EQ(cap_mask(caps["eff"]), expected) << caps.dump();
  EXPECT_EQ(cap_mask(caps["inh"]), 0u) << caps.dump();
  EXPECT_EQ(cap_mask(caps["amb"]), 0u) << caps.dump();
}

class SecurityTest : public RuntimeTest {
 protected:
  void SetUp() override { pod.start(); }
  Pod pod{sandbox, "secure", image};
};

TEST_F(SecurityTest, DefaultsArePodmans) {
  auto report = pod.probe("c", {"report"});
  expect_caps(report, kPodmanDefault);
  EXPECT_EQ(report["no_new_privs"], 0);
  EXPECT_EQ(report["seccomp"], 2) << "a seccomp filter is loaded";
  EXPECT_EQ(report["uid"], 0);
  EXPECT_EQ(report["gid"], 0);
}

TEST_F(SecurityTest, CapabilitiesAddedAndDropped) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  auto& names = spec.process.capabilities.names;
  names.erase(std::remove(names.begin(), names.end(), "CAP_CHOWN"), names.end());
  names.erase(std::remove(names.begin(), names.end(), "CAP_KILL"), names.end());
  names.push_back("NET_ADMIN");  // as securityContext.capabilities.add writes it
  names.push_back("CAP_SYS_PTRACE");
  auto report = pod.probe(spec);
  expect_caps(report,
              (kPodmanDefault & ~bits({CAP_CHOWN, CAP_KILL})) | bits({CAP_NET_ADMIN, CAP_SYS_PTRACE}));
}

// The runtime applies the spec's fields, never `privileged` itself: a spec that says
// privileged but nothing else gets the defaults it lists.
TEST_F(SecurityTest, PrivilegedFlagAloneGrantsNothing) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report", "/proc/keys", "/sys"});
  spec.privileged = true;
  auto report = pod.probe(spec);
  expect_caps(report, kPodmanDefault);
  EXPECT_EQ(report["seccomp"], 2);
  EXPECT_EQ(report["paths"]["/proc/keys"]["type"], "c") << "masked";
  EXPECT_EQ(report["paths"]["/sys"]["rdonly"], true);
}

// A privileged container's spec as the planner writes it: every capability (those
// the host cannot grant left out), no seccomp filter, nothing masked, /sys writable.
TEST_F(SecurityTest, PrivilegedSpecGetsEverythingUnmasked) {
  auto spec =
      pod.container_spec("c", {"/usr/bin/podlet-probe", "report", "/proc/kcore", "/sys", "/proc/sys"});
  spec.privileged = true;
  spec.process.capabilities.names = {"CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_CHECKPOINT_RESTORE", "CAP_BPF",
                                     "CAP_SYS_MODULE"};
  spec.process.seccomp.mode = "unconfined";
  spec.masked_paths.clear();
  spec.readonly_paths.clear();
  spec.sysfs_read_only = false;
  auto report = pod.probe(spec);
  expect_caps(report, bits({CAP_CHOWN, CAP_SYS_ADMIN, CAP_CHECKPOINT_RESTORE, CAP_BPF, CAP_SYS_MODULE}) &
                          own_bounding_set());
  EXPECT_EQ(report["seccomp"], 0);
  auto paths = report["paths"];
  if (host_has("/proc/kcore")) {
    EXPECT_NE(paths["/proc/kcore"]["type"], "c") << "masked in a privileged container";
  }
  EXPECT_EQ(paths["/sys"]["rdonly"], false);
  EXPECT_EQ(paths["/proc/sys"]["rdonly"], false);
}

TEST_F(SecurityTest, NoNewPrivsWhenPrivilegeEscalationIsNotAllowed) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.no_new_privileges = true;
  auto report = pod.probe(spec);
  EXPECT_EQ(report["no_new_privs"], 1);
  EXPECT_EQ(report["seccomp"], 2);
  expect_caps(report, kPodmanDefault);
}

TEST_F(SecurityTest, DefaultSeccompProfileBlocksKernelWideCalls) {
  auto report = pod.probe("c", {"report"});
  auto calls = report["syscalls"];
  EXPECT_EQ(calls["keyctl"], "EPERM");
  EXPECT_EQ(calls["unshare_user"], "EPERM");
  EXPECT_EQ(calls["unshare_mnt"], "EPERM");
  EXPECT_EQ(calls["mount"], "EPERM");
}

TEST_F(SecurityTest, UnconfinedLoadsNoFilter) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.seccomp.mode = "unconfined";
  auto report = pod.probe(spec);
  EXPECT_EQ(report["seccomp"], 0);
  EXPECT_NE(report["syscalls"]["keyctl"], "EPERM") << "keyctl is only refused by the filter";
  expect_caps(report, kPodmanDefault);
}

TEST_F(SecurityTest, LocalhostProfileIsLoaded) {
  // An OCI profile allowing everything but keyctl, refused with its own errno.
  std::string profile = sandbox.dir() + "/profile.json";
  write_file_atomic(profile, R"({"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]})");
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report"});
  spec.process.seccomp = {"localhost", profile};
  auto report = pod.probe(spec);
  EXPECT_EQ(report["seccomp"], 2);
  EXPECT_EQ(report["syscalls"]["keyctl"], "ENOSYS");
  EXPECT_EQ(report["syscalls"]["mount"], "EPERM") << "still refused for lack of CAP_SYS_ADMIN";

  spec.process.seccomp = {"localhost", sandbox.dir() + "/missing.json"};
  Started started = pod.start_container(spec);
  EXPECT_EQ(started.podlet_exit, 125);
  EXPECT_NE(started.podlet_stderr.find("missing.json"), std::string::npos) << started.podlet_stderr;
}

TEST_F(SecurityTest, MaskedPathsAreEmptyAndReadOnlyPathsReadOnly) {
  const std::vector<std::string> masked_files = {"/proc/kcore", "/proc/keys", "/proc/timer_list",
                                                 "/proc/sched_debug", "/proc/latency_stats"};
  const std::vector<std::string> masked_dirs = {"/sys/firmware", "/proc/acpi", "/proc/scsi",
                                                "/sys/dev/block"};
  const std::vector<std::string> readonly_dirs = {"/proc/sys", "/proc/bus", "/proc/irq", "/proc/fs"};
  std::vector<std::string> args = {"/usr/bin/podlet-probe",     "report", "/proc/sysrq-trigger",
                                   "/proc/sys/kernel/hostname", "/sys",   "/proc/cpuinfo"};
  for (const auto* list : {&masked_files, &masked_dirs, &readonly_dirs})
    args.insert(args.end(), list->begin(), list->end());
  auto report = pod.probe(pod.container_spec("c", args));
  auto paths = report["paths"];

  int checked = 0;
  for (const auto& path : masked_files) {
    if (!host_has(path)) continue;
    ++checked;
    EXPECT_EQ(paths[path]["type"], "c") << path << " " << paths[path].dump();
    EXPECT_EQ(paths[path]["major"], 1) << path << ": not /dev/null";
    EXPECT_EQ(paths[path]["minor"], 3) << path << ": not /dev/null";
    EXPECT_EQ(paths[path]["read_bytes"], 0) << path;
  }
  for (const auto& path : masked_dirs) {
    if (!host_has(path)) continue;
    ++checked;
    EXPECT_EQ(paths[path]["entries"], 0) << path << " " << paths[path].dump();
    EXPECT_EQ(paths[path]["rdonly"], true) << path;
  }
  EXPECT_GE(checked, 3) << "too few masked paths exist on this kernel to check";
  for (const auto& path : readonly_dirs) {
    if (!host_has(path)) continue;
    EXPECT_EQ(paths[path]["rdonly"], true) << path << " " << paths[path].dump();
    EXPECT_GT(paths[path]["entries"], 0) << path << ": read-only, not masked";
  }
  if (host_has("/proc/sysrq-trigger")) {
    EXPECT_EQ(paths["/proc/sysrq-trigger"]["open_write"], "EROFS");
  }
  EXPECT_EQ(paths["/proc/sys/kernel/hostname"]["open_write"], "EROFS");
  EXPECT_EQ(paths["/proc/sys/kernel/hostname"]["read_bytes"], 7) << "secure\\n stays readable";
  EXPECT_EQ(paths["/sys"]["rdonly"], true);
  EXPECT_GT(paths["/proc/cpuinfo"]["read_bytes"], 0) << "the rest of /proc is untouched";
}

// procMount: Unmasked: the planner writes no masked and no read-only paths, and the
// container sees /proc as the kernel shows it (the runtime adds no masks of its own).
TEST_F(SecurityTest, EmptyMaskListsLeaveProcUnmasked) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report", "/proc/kcore", "/proc/keys",
                                       "/proc/timer_list", "/proc/sys", "/proc/bus", "/sys/firmware"});
  spec.masked_paths.clear();
  spec.readonly_paths.clear();
  auto paths = pod.probe(spec)["paths"];
  int checked = 0;
  for (const char* path : {"/proc/kcore", "/proc/keys", "/proc/timer_list"}) {
    if (!host_has(path)) continue;
    ++checked;
    EXPECT_EQ(paths[path]["type"], "f") << path << " is masked: " << paths[path].dump();
  }
  EXPECT_GE(checked, 2) << "too few maskable paths exist on this kernel to check";
  EXPECT_EQ(paths["/proc/sys"]["rdonly"], false) << paths["/proc/sys"].dump();
  EXPECT_EQ(paths["/proc/bus"]["rdonly"], false) << paths["/proc/bus"].dump();
  if (host_has("/sys/firmware")) {
    EXPECT_NE(paths["/sys/firmware"]["fs_magic"], 0x01021994) << "masked with a tmpfs";
  }
}

// The spec's lists are applied exactly: what they name is masked or read-only, the
// rest of /proc is not.
TEST_F(SecurityTest, MasksAreExactlyTheSpecs) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report", "/proc/kcore", "/proc/keys",
                                       "/proc/timer_list", "/proc/sys", "/proc/bus"});
  spec.masked_paths = {"/proc/keys"};
  spec.readonly_paths = {"/proc/bus"};
  auto paths = pod.probe(spec)["paths"];
  if (host_has("/proc/keys")) {
    EXPECT_EQ(paths["/proc/keys"]["type"], "c") << paths["/proc/keys"].dump();
  }
  for (const char* path : {"/proc/kcore", "/proc/timer_list"}) {
    if (host_has(path)) {
      EXPECT_EQ(paths[path]["type"], "f") << path << " is masked: " << paths[path].dump();
    }
  }
  EXPECT_EQ(paths["/proc/bus"]["rdonly"], true) << paths["/proc/bus"].dump();
  EXPECT_EQ(paths["/proc/sys"]["rdonly"], false) << paths["/proc/sys"].dump();
}

TEST_F(SecurityTest, OnlyStdioFdsReachTheWorkload) {
  auto report = pod.probe("c", {"report"});
  EXPECT_EQ(report["fds"], nlohmann::json::array({0, 1, 2}));
}

TEST_F(SecurityTest, ReadOnlyRootFilesystem) {
  auto spec = pod.container_spec("c", {"/usr/bin/podlet-probe", "report", "/", "/tmp", "/etc/passwd"});
  spec.root.read_only = true;
  auto report = pod.probe(spec);
  EXPECT_EQ(report["paths"]["/"]["rdonly"], true);
  EXPECT_EQ(report["paths"]["/etc/passwd"]["open_write"], "EROFS");

  auto writable = pod.probe("c2", {"report", "/", "/etc/passwd"});
  EXPECT_EQ(writable["paths"]["/"]["rdonly"], false);
  EXPECT_EQ(writable["paths"]["/etc/passwd"]["open_write"], "ok");
}

}  // namespace
}  // namespace podlet::test
