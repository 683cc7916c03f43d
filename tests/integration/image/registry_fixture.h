// Debian's docker-registry on 127.0.0.1 (a free port), with its own temporary
// config and storage, started for a test and always stopped with it.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "fixtures.h"

namespace podlet::image::testing {

inline int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) < 0)
    throw std::runtime_error("free_port");
  ::close(s);
  return ntohs(a.sin_port);
}

class Registry {
 public:
  // extra_config: YAML appended to the config (e.g. an auth: section).
  explicit Registry(const std::string& dir, const std::string& extra_config = "") : dir_(dir) {
    for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) start(extra_config);
    if (pid_ < 0) throw std::runtime_error("docker-registry did not start: " + read_log());
  }
  ~Registry() { stop(); }
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string storage() const { return dir_ + "/data"; }
  std::string read_log() const {
    try {
      return read_file(dir_ + "/registry.log");
    } catch (...) {
      return "";
    }
  }

 private:
  void start(const std::string& extra) {
    port_ = free_port();
    std::string config = dir_ + "/config.yml";
    write_file_atomic(
        config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: " +
                    storage() + "\n  delete:\n    enabled: true\nhttp:\n  addr: " + host() + "\n" + extra);
    pid_t pid = ::fork();
    if (pid == 0) {
      int log = ::open((dir_ + "/registry.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      int null = ::open("/dev/null", O_RDONLY);
      ::dup2(null, 0);
      ::dup2(log, 1);
      ::dup2(log, 2);
      ::setpgid(0, 0);
      ::execlp("docker-registry", "docker-registry", "serve", config.c_str(), nullptr);
      ::_exit(127);
    }
    pid_ = pid;
    // Ready when /v2/ answers (200, or 401 with auth configured).
    for (int i = 0; i < 300; ++i) {
      auto r = run("curl -s -o /dev/null -w '%{http_code}' http://" + host() + "/v2/");
      if (r.output == "200" || r.output == "401") return;
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // died (port taken?): retry elsewhere
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    stop();
  }
  void stop() {
    if (pid_ < 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace podlet::image::testing
