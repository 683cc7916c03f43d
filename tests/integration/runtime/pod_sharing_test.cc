// Containers of one pod talk over localhost and share SysV and POSIX IPC;
// containers of another pod reach none of it.
#include <gtest/gtest.h>

#include "runtime_test.h"

namespace podlet::test {
namespace {

using PodSharingTest = RuntimeTest;

TEST_F(PodSharingTest, ContainersOfOnePodReachEachOtherOnLocalhost) {
  Pod alpha(sandbox, "alpha", image);
  Pod beta(sandbox, "beta", image);
  alpha.start();
  beta.start();

  Started server =
      alpha.start_container(alpha.container_spec("server", {"/usr/bin/podlet-probe", "tcp-listen", "8080"}));
  ASSERT_EQ(server.podlet_exit, 0) << server.podlet_stderr;
  EXPECT_EQ(wait_for_json(server.stdout_path, "listening")["listening"], 8080);

  auto stranger = beta.probe("client", {"tcp-connect", "127.0.0.1", "8080"});
  EXPECT_EQ(stranger["connected"], false) << "another pod's localhost reached the server";
  EXPECT_EQ(stranger["errno"], "ECONNREFUSED");

  auto client = alpha.probe("client", {"tcp-connect", "127.0.0.1", "8080"});
  EXPECT_EQ(client["connected"], true) << client.dump();
  EXPECT_EQ(client["received"], "hello from the other container");

  auto exited = sandbox.wait_exit(server.pid, 60s);
  ASSERT_TRUE(exited);
  EXPECT_EQ(exited->exit_code(), 0);
}

TEST_F(PodSharingTest, ContainersOfOnePodShareIpc) {
  Pod alpha(sandbox, "alpha", image);
  Pod beta(sandbox, "beta", image);
  alpha.start();
  beta.start();

  auto written = alpha.probe("writer", {"ipc-write", "podlet-test"});
  for (const char* kind : {"sysv_shm", "posix_shm", "mqueue"}) ASSERT_EQ(written[kind], "ok") << kind;

  auto stranger = beta.probe("reader", {"ipc-read", "podlet-test"});
  for (const char* kind : {"sysv_shm", "posix_shm", "mqueue"})
    EXPECT_EQ(stranger[kind], "ENOENT") << kind << ": another pod sees this pod's IPC";

  auto reader = alpha.probe("reader", {"ipc-read", "podlet-test"});
  for (const char* kind : {"sysv_shm", "posix_shm", "mqueue"}) EXPECT_EQ(reader[kind], "ok") << kind;
}

}  // namespace
}  // namespace podlet::test
