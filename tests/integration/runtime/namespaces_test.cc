// The pod's namespaces as a container sees them: net, uts and ipc are the
// infra's; mnt (and pid, unless shareProcessNamespace) are the container's own.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "runtime_test.h"

namespace podlet::test {
namespace {

ino_t namespace_of(pid_t pid, const std::string& kind) {
  struct stat st {};
  std::string path = "/proc/" + std::to_string(pid) + "/ns/" + kind;
  if (::stat(path.c_str(), &st) < 0) throw std::runtime_error("stat " + path);
  return st.st_ino;
}

ino_t own_namespace(const std::string& kind) {
  return namespace_of(::getpid(), kind);
}

using NamespacesTest = RuntimeTest;

TEST_F(NamespacesTest, ContainerJoinsThePodsNetUtsIpcAndHasItsOwnMntAndPid) {
  Pod pod(sandbox, "alpha", image);
  pod.start();
  for (const char* kind : {"net", "uts", "ipc"})
    EXPECT_NE(pod.infra_namespace(kind), own_namespace(kind)) << kind;
  EXPECT_EQ(pod.infra_namespace("pid"), own_namespace("pid"));

  auto report = pod.probe("c1", {"report"});
  ASSERT_TRUE(report.is_object());
  for (const char* kind : {"net", "uts", "ipc"})
    EXPECT_EQ(report["ns"][kind], pod.infra_namespace(kind)) << kind;
  EXPECT_NE(report["ns"]["mnt"], pod.infra_namespace("mnt"));
  EXPECT_NE(report["ns"]["pid"], pod.infra_namespace("pid"));
  EXPECT_EQ(report["pid"], 1) << "the workload is PID 1 of its own pid namespace";
  EXPECT_EQ(report["proc_pids"], nlohmann::json::array({1})) << "/proc shows no other process";
  EXPECT_EQ(report["hostname"], "alpha");

  // A second container joins the same pod namespaces, with a mount namespace of
  // its own (compared with a running one: a dead namespace's inode is reused).
  Started sleeper = pod.start_container(pod.container_spec("sleeper", {"/usr/bin/podlet-probe", "sleep"}));
  ASSERT_EQ(sleeper.podlet_exit, 0) << sleeper.podlet_stderr;
  auto second = pod.probe("c2", {"report"});
  for (const char* kind : {"net", "uts", "ipc"})
    EXPECT_EQ(second["ns"][kind], namespace_of(sleeper.pid, kind)) << kind;
  for (const char* kind : {"mnt", "pid"})
    EXPECT_NE(second["ns"][kind], namespace_of(sleeper.pid, kind)) << kind;
}

TEST_F(NamespacesTest, ContainersOfTwoPodsShareNothing) {
  Pod alpha(sandbox, "alpha", image);
  Pod beta(sandbox, "beta", image);
  alpha.start();
  beta.start();
  Started a = alpha.start_container(alpha.container_spec("c", {"/usr/bin/podlet-probe", "sleep"}));
  ASSERT_EQ(a.podlet_exit, 0) << a.podlet_stderr;
  auto b = beta.probe("c", {"report"});
  for (const char* kind : {"net", "uts", "ipc", "mnt", "pid"})
    EXPECT_NE(namespace_of(a.pid, kind), b["ns"][kind]) << kind;
  EXPECT_EQ(b["hostname"], "beta");
}

TEST_F(NamespacesTest, SharedPidNamespaceHasTheInfraAsPid1ReapingOrphans) {
  Pod pod(sandbox, "shared", image, /*share_pid=*/true);
  pod.start();
  EXPECT_NE(pod.infra_namespace("pid"), own_namespace("pid"));

  auto report = pod.probe("c1", {"report", "/proc/1/root/", "/proc/1/exe"});
  EXPECT_EQ(report["ns"]["pid"], pod.infra_namespace("pid"));
  // The infra lives in the host's root: a container must not get there through it.
  EXPECT_EQ(report["paths"]["/proc/1/root/"]["lstat"], "EACCES") << report["paths"].dump();
  EXPECT_EQ(report["paths"]["/proc/1/exe"].value("target", ""), "") << "readlink of the infra's binary";
  for (const char* kind : {"net", "uts", "ipc"})
    EXPECT_EQ(report["ns"][kind], pod.infra_namespace(kind)) << kind;
  EXPECT_NE(report["pid"], 1) << "the infra is PID 1 of a shared pid namespace";
  EXPECT_EQ(report["proc_pids"], nlohmann::json::array({1, report["pid"]})) << "the infra and the probe only";

  // An orphan is adopted by the infra, which reaps it once it exits.
  auto orphan = pod.probe("orphans", {"orphan"});
  EXPECT_EQ(orphan["adopted_by"], 1);
  EXPECT_EQ(orphan["reaped"], true) << orphan.dump();
}

TEST_F(NamespacesTest, PtraceCapableContainerCannotReachTheHostThroughTheInfra) {
  Pod pod(sandbox, "shared", image, /*share_pid=*/true);
  pod.start();
  auto spec = pod.container_spec("c1", {"/usr/bin/podlet-probe", "report", "/proc/1/root/", "/proc/1/cwd/"});
  spec.process.capabilities.names.push_back("CAP_SYS_PTRACE");
  auto report = pod.probe(spec);
  for (const char* path : {"/proc/1/root/", "/proc/1/cwd/"}) {
    auto seen = report["paths"][path];
    EXPECT_TRUE(seen.contains("lstat") || seen["entries"] == 0) << path << " " << seen.dump();
  }
}

TEST_F(NamespacesTest, InfraHandsOverToTheMinimalHolder) {
  for (bool share_pid : {false, true}) {
    Pod pod(sandbox, share_pid ? "pid1" : "inplace", image, share_pid);
    pod.start();
    std::string proc = "/proc/" + std::to_string(pod.infra_pid());
    // READY=1 is sent before the exec: wait for it (generously).
    std::string comm;
    for (int i = 0; i < 3000 && (comm = read_text(proc + "/comm")) != "podlet-infra\n"; ++i) ::usleep(10000);
    EXPECT_EQ(comm, "podlet-infra\n");
    EXPECT_EQ(read_text(proc + "/cmdline"), std::string("podlet-infra", 13));
    // Still the pod's: a container joins it as before.
    auto report = pod.probe("c", {"report"});
    for (const char* kind : {"net", "uts", "ipc"})
      EXPECT_EQ(report["ns"][kind], pod.infra_namespace(kind)) << kind;
    EXPECT_EQ(report["hostname"], share_pid ? "pid1" : "inplace");
  }
}

TEST_F(NamespacesTest, InfraExitsCleanlyOnSigterm) {
  for (bool share_pid : {false, true}) {
    Pod pod(sandbox, share_pid ? "pid1" : "inplace", image, share_pid);
    pod.start();
    ASSERT_EQ(::kill(pod.infra_pid(), SIGTERM), 0);
    auto exited = sandbox.wait_exit(pod.infra_pid(), 30s);
    ASSERT_TRUE(exited) << "the infra ignored SIGTERM";
    EXPECT_EQ(exited->exit_code(), 0);
  }
}

}  // namespace
}  // namespace podlet::test
