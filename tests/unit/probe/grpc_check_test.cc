// The gRPC probe: its messages on the wire, and checks against a grpc.health.v1 server
// (Debian's python3-grpcio) on loopback.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "probe/check.h"
#include "probe/grpc_wire.h"

namespace podlet::probe {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(GrpcWire, RequestAndFrameAreProtobufAndGrpcFraming) {
  EXPECT_EQ(health_check_request(""), "");
  EXPECT_EQ(health_check_request("web"), std::string("\x0a\x03web", 5));
  EXPECT_EQ(grpc_frame("ab"), std::string("\0\0\0\0\x02"
                                          "ab",
                                          7));
  std::string long_service(200, 's');
  EXPECT_EQ(health_check_request(long_service).substr(0, 3), std::string("\x0a\xc8\x01", 3))
      << "a varint length";
}

TEST(GrpcWire, ResponsesAreReadDefensively) {
  EXPECT_EQ(health_check_status(grpc_frame(std::string("\x08\x01", 2))), kServing);
  EXPECT_EQ(health_check_status(grpc_frame("")), 0) << "proto3: absent is UNKNOWN";
  // Unknown fields of every wire type are skipped.
  EXPECT_EQ(health_check_status(grpc_frame(std::string("\x12\x02xy\x18\x05\x08\x02", 8))), 2);
  EXPECT_FALSE(health_check_status(""));
  EXPECT_FALSE(health_check_status(std::string("\x01\0\0\0\x02\x08\x01", 7))) << "compressed";
  EXPECT_FALSE(health_check_status(std::string("\0\0\0\0\x09\x08\x01", 7))) << "length beyond the body";
  EXPECT_FALSE(health_check_status(grpc_frame(std::string("\x08", 1)))) << "a truncated varint";
  EXPECT_FALSE(health_check_status(grpc_frame(std::string("\x12\x7f", 2)))) << "a field past the end";
  EXPECT_FALSE(health_check_status(grpc_frame(std::string(11, '\xff')))) << "a varint of 11 bytes";
  EXPECT_EQ(serving_status_name(2), "NOT_SERVING");
  EXPECT_EQ(serving_status_name(9), "9");
}

// The python server, while the test runs; skipped where python3-grpcio is missing.
class GrpcServer {
 public:
  GrpcServer() {
    if (std::system("/usr/bin/python3 -c 'import grpc' 2>/dev/null") != 0) return;
    int in[2], out[2];
    if (::pipe(in) < 0 || ::pipe(out) < 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::execl("/usr/bin/python3", "python3", PODLET_SOURCE_DIR "/tests/unit/probe/grpc_health_server.py",
              nullptr);
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    std::FILE* f = ::fdopen(out[0], "r");
    if (f && std::fscanf(f, "%d", &port_) != 1) port_ = 0;
    if (f) std::fclose(f);
  }
  ~GrpcServer() {
    if (stdin_ >= 0) ::close(stdin_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

TEST(GrpcCheck, ServingIsSuccessEverythingElseFailsWithItsReason) {
  GrpcServer server;
  if (!server.port()) GTEST_SKIP() << "python3-grpcio is not installed";
  EXPECT_EQ(grpc_check("127.0.0.1", server.port(), "", 2s).result, Result::success);
  EXPECT_EQ(grpc_check("127.0.0.1", server.port(), "web", 2s).result, Result::success);
  auto down = grpc_check("127.0.0.1", server.port(), "down", 2s);
  EXPECT_EQ(down.result, Result::failure);
  EXPECT_EQ(down.message, "service unhealthy (responded with \"NOT_SERVING\")");
  auto unknown = grpc_check("127.0.0.1", server.port(), "nope", 2s);
  EXPECT_EQ(unknown.result, Result::failure);
  EXPECT_THAT(unknown.message, HasSubstr("grpc-status 5"));
  auto slow = grpc_check("127.0.0.1", server.port(), "slow", 500ms);
  EXPECT_EQ(slow.result, Result::failure);
  EXPECT_THAT(slow.message, HasSubstr("timeout"));
}

TEST(GrpcCheck, AServerThatIsNotGrpcFails) {
  // Nothing listens on port 1 of loopback.
  auto r = grpc_check("127.0.0.1", 1, "", 1s);
  EXPECT_EQ(r.result, Result::failure);
  EXPECT_THAT(r.message, HasSubstr("failed to connect"));
}

}  // namespace
}  // namespace podlet::probe
