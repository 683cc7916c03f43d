// httpGet and tcpSocket checks against servers of the test's own on loopback.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "probe/check.h"

namespace podlet::probe {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// Answers each connection on 127.0.0.1 with respond(request head); keeps the requests.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<std::string(const std::string&)> respond)
      : respond_(std::move(respond)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) < 0 || ::listen(fd_, 16) < 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) < 0)
      throw std::runtime_error("loopback server");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      std::string head;
      char buf[1024];
      while (head.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(head);
      }
      std::string reply = respond_(head);
      for (size_t off = 0; off < reply.size();) {
        ssize_t n = ::send(c, reply.data() + off, reply.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      ::close(c);
    }
  }

  std::function<std::string(const std::string&)> respond_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

std::string status(int code, const std::string& extra = "", const std::string& body = "") {
  return "HTTP/1.1 " + std::to_string(code) + " X\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + extra + "\r\n" + body;
}

plan::HandlerSpec http(int port, const std::string& path = "/") {
  plan::HandlerSpec h;
  h.http_get = true;
  h.port = port;
  h.path = path;
  return h;
}

TEST(HttpCheck, SuccessIs200To399AndTheRequestIsTheKubelets) {
  LoopbackServer server(
      [](const std::string& head) { return head.starts_with("GET /healthz ") ? status(204) : status(500); });
  auto h = http(server.port(), "/healthz");
  h.headers = {{"X-Probe", "podlet"}, {"Empty", ""}};
  EXPECT_EQ(http_check(h, "127.0.0.1", 2s).result, Result::success);
  auto req = server.requests().at(0);
  EXPECT_THAT(req, HasSubstr("User-Agent: kube-probe/"));
  EXPECT_THAT(req, HasSubstr("Accept: */*"));
  EXPECT_THAT(req, HasSubstr("X-Probe: podlet"));
  EXPECT_THAT(req, HasSubstr("Empty:"));

  auto failed = http_check(http(server.port(), "/other"), "127.0.0.1", 2s);
  EXPECT_EQ(failed.result, Result::failure);
  EXPECT_EQ(failed.message, "HTTP probe failed with statuscode: 500");
}

TEST(HttpCheck, AHookSucceedsWithAnyAnswerButNotWithNone) {
  LoopbackServer server([](const std::string&) { return status(503); });
  auto h = http(server.port());
  h.any_status = true;
  EXPECT_EQ(http_check(h, "127.0.0.1", 2s).result, Result::success);
  h.port = 1;  // nothing listens there
  EXPECT_EQ(http_check(h, "127.0.0.1", 2s).result, Result::failure);
}

TEST(HttpCheck, HeadersOfTheProbeReplaceTheDefaults) {
  LoopbackServer server([](const std::string&) { return status(200); });
  auto h = http(server.port());
  h.headers = {{"User-Agent", "mine"}, {"Host", "example.test"}};
  EXPECT_EQ(http_check(h, "127.0.0.1", 2s).result, Result::success);
  auto req = server.requests().at(0);
  EXPECT_THAT(req, HasSubstr("User-Agent: mine"));
  EXPECT_THAT(req, Not(HasSubstr("kube-probe")));
  EXPECT_THAT(req, HasSubstr("Host: example.test"));
}

TEST(HttpCheck, RedirectsToTheSameHostAreFollowedOthersEndInSuccess) {
  LoopbackServer server([](const std::string& head) {
    if (head.starts_with("GET /start ")) return status(302, "Location: /final\r\n");
    if (head.starts_with("GET /final ")) return status(503);
    if (head.starts_with("GET /away ")) return status(301, "Location: http://elsewhere.invalid/\r\n");
    return status(302, "Location: /loop\r\n");
  });
  auto followed = http_check(http(server.port(), "/start"), "127.0.0.1", 2s);
  EXPECT_EQ(followed.result, Result::failure) << "the final answer counts";
  EXPECT_EQ(followed.message, "HTTP probe failed with statuscode: 503");
  auto away = http_check(http(server.port(), "/away"), "127.0.0.1", 2s);
  EXPECT_EQ(away.result, Result::success);
  EXPECT_THAT(away.message, HasSubstr("Probe terminated redirects"));
  auto loop = http_check(http(server.port(), "/loop"), "127.0.0.1", 5s);
  EXPECT_EQ(loop.result, Result::failure);
  EXPECT_THAT(loop.message, HasSubstr("stopped after 10 redirects"));
}

TEST(HttpCheck, AHugeBodyIsNotReadWhole) {
  const std::string body(4 << 20, 'x');
  LoopbackServer server([&](const std::string&) { return status(200, "", body); });
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(http_check(http(server.port()), "127.0.0.1", 5s).result, Result::success);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(HttpCheck, ASilentServerFailsAtTheTimeout) {
  LoopbackServer server([](const std::string&) {
    std::this_thread::sleep_for(1500ms);
    return status(200);
  });
  auto started = std::chrono::steady_clock::now();
  auto r = http_check(http(server.port()), "127.0.0.1", 300ms);
  EXPECT_EQ(r.result, Result::failure);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1400ms);
}

TEST(TcpCheck, AnOpenPortSucceedsAClosedOneFails) {
  LoopbackServer server([](const std::string&) { return std::string(); });
  EXPECT_EQ(tcp_check("127.0.0.1", server.port(), 1s).result, Result::success);
  int closed = server.port();
  {
    // A port nobody listens on: bind one and close it.
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(s, reinterpret_cast<sockaddr*>(&addr), len);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    closed = ntohs(addr.sin_port);
    ::close(s);
  }
  auto r = tcp_check("127.0.0.1", closed, 1s);
  EXPECT_EQ(r.result, Result::failure);
  EXPECT_THAT(r.message, HasSubstr("Connection refused")) << r.message;
}

TEST(RunCheck, WhatCannotBeCheckedIsAFailureWithItsReason) {
  plan::HandlerSpec named;
  named.tcp_socket = true;
  named.port_name = "metrics";
  EXPECT_EQ(run_check(named, CheckTarget{"127.0.0.1", {}}, 1s).message,
            "the container has no port named \"metrics\"");
  plan::HandlerSpec tcp;
  tcp.tcp_socket = true;
  tcp.port = 80;
  EXPECT_EQ(run_check(tcp, CheckTarget{}, 1s).message, "the pod has no IP address");
  plan::HandlerSpec exec;
  exec.exec = {"true"};
  EXPECT_EQ(run_check(exec, CheckTarget{}, 1s).message, "the container is not running");
  EXPECT_EQ(run_check(plan::HandlerSpec{}, CheckTarget{}, 1s).message, "Cannot run handler: invalid handler");
}

TEST(RunCheck, ASleepHookSleepsItsTimeOrFailsAtTheDeadline) {
  plan::HandlerSpec sleep;
  sleep.sleep_seconds = 1;
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(run_check(sleep, CheckTarget{}, 5s).result, Result::success);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 1s);
  sleep.sleep_seconds = 30;
  started = std::chrono::steady_clock::now();
  auto cut = run_check(sleep, CheckTarget{}, 200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(cut.result, Result::failure);
  EXPECT_EQ(cut.message, "container terminated before sleep hook finished");
}

}  // namespace
}  // namespace podlet::probe
