// A small HTTP/1.1 server on 127.0.0.1 (a port the kernel picks) for the image
// tests: a token server for the registry's Bearer auth, and a registry whose
// answers a test controls (stalled or oversized blobs, concurrency checks).
// One thread per connection; every thread is joined and every socket closed by
// the destructor, also when the test fails.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace podlet::image::testing {

class HttpServer {
 public:
  struct Request {
    std::string method, path, query;
    std::map<std::string, std::string> headers;  // lowercase names
    // Every value of a query parameter, URL-decoded.
    std::vector<std::string> params(const std::string& key) const {
      std::vector<std::string> out;
      size_t i = 0;
      while (i <= query.size() && !query.empty()) {
        size_t amp = query.find('&', i);
        if (amp == std::string::npos) amp = query.size();
        std::string kv = query.substr(i, amp - i);
        auto eq = kv.find('=');
        if (decode(kv.substr(0, eq)) == key)
          out.push_back(eq == std::string::npos ? "" : decode(kv.substr(eq + 1)));
        i = amp + 1;
      }
      return out;
    }
    std::string header(const std::string& lower_name) const {
      auto it = headers.find(lower_name);
      return it == headers.end() ? "" : it->second;
    }
  };
  struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // Send only this many bytes of the body, then hold the connection open until the
    // server stops (a registry that hangs mid-download).
    size_t stall_after = std::string::npos;
  };
  using Handler = std::function<Response(const Request&)>;

  // false: a TLS ClientHello gets no answer at all (the client has to give up).
  std::atomic<bool> refuse_tls{true};

  explicit HttpServer(Handler handler) : handler_(std::move(handler)) {
    listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (listen_ < 0 || stop_fd_ < 0 || ::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 ||
        ::listen(listen_, 64) < 0 || ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len) < 0) {
      close_fds();
      throw std::runtime_error("HttpServer: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~HttpServer() { stop(); }
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  void stop() {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      stopping_ = true;
      for (int fd : clients_) ::shutdown(fd, SHUT_RDWR);
    }
    cv_.notify_all();
    uint64_t one = 1;
    (void)!::write(stop_fd_, &one, sizeof one);
    if (acceptor_.joinable()) acceptor_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
    close_fds();
  }

  static std::string decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i] == '+' ? ' ' : s[i];
      }
    }
    return out;
  }

 private:
  void close_fds() {
    if (listen_ >= 0) ::close(listen_);
    if (stop_fd_ >= 0) ::close(stop_fd_);
    listen_ = stop_fd_ = -1;
  }

  void accept_loop() {
    for (;;) {
      pollfd fds[2] = {{listen_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) continue;
      if (fds[1].revents) return;
      int c = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      std::lock_guard lock(mu_);
      if (stopping_) {
        ::close(c);
        return;
      }
      clients_.insert(c);
      threads_.emplace_back([this, c] { serve(c); });
    }
  }

  static bool send_all(int fd, const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
      if (w <= 0) return false;
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }

  void serve(int fd) {
    std::string in;
    char buf[16384];
    size_t end;
    while ((end = in.find("\r\n\r\n")) == std::string::npos && in.size() < 65536) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return finish(fd);
      in.append(buf, static_cast<size_t>(n));
      // A TLS ClientHello (clients try HTTPS first): refuse it at once, as an HTTP server does
      // (or, with refuse_tls false, wait for a request line it never sends, as some do).
      if (in[0] == 0x16 && refuse_tls) {
        static const char kBad[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
        send_all(fd, kBad, sizeof kBad - 1);
        return finish(fd);
      }
    }
    Request req;
    std::string head = in.substr(0, end);
    size_t line_end = head.find("\r\n");
    std::string first = head.substr(0, line_end);
    auto sp1 = first.find(' '), sp2 = first.rfind(' ');
    if (sp1 == std::string::npos || sp2 <= sp1) return finish(fd);
    req.method = first.substr(0, sp1);
    std::string target = first.substr(sp1 + 1, sp2 - sp1 - 1);
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(pos, e - pos);
      pos = e + 2;
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string key = line.substr(0, colon);
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      req.headers[key] = value;
    }
    Response r = handler_(req);
    std::string out = "HTTP/1.1 " + std::to_string(r.status) +
                      " X\r\nConnection: close\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n";
    for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
    out += "\r\n";
    if (req.method != "HEAD") out += r.body.substr(0, r.stall_after);
    bool sent = send_all(fd, out.data(), out.size());
    if (sent && r.stall_after != std::string::npos) {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_; });
    }
    finish(fd);
  }

  void finish(int fd) {
    std::lock_guard lock(mu_);
    clients_.erase(fd);
    ::close(fd);
  }

  Handler handler_;
  int listen_ = -1, stop_fd_ = -1, port_ = 0;
  std::thread acceptor_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::set<int> clients_;
  std::vector<std::thread> threads_;
};

}  // namespace podlet::image::testing
