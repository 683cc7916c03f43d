#include "image/credential_helper.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/child_process.h"
#include "base/error.h"
#include "base/fd.h"

extern char** environ;

namespace podlet::image {
namespace {

using Clock = std::chrono::steady_clock;

// More than any credential; a helper that prints more is not speaking the protocol.
constexpr size_t kMaxOutput = 1 << 20;

std::string who(const std::string& helper, const std::string& registry) {
  return "credential helper docker-credential-" + helper + " for " + registry;
}

// $PATH lookup in the parent: the child only calls async-signal-safe functions.
std::string find_on_path(const std::string& program, const std::string& what) {
  const char* path = std::getenv("PATH");
  std::string dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir.front() != '/') continue;  // never the working directory
    std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  fail("{}: {} is not an executable file on $PATH", what, program);
}

// Trimmed, one line, bounded: for error messages.
std::string excerpt(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 300)) out += (c == '\n' || c == '\r') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Reads the helper's stdout and stderr to their ends, or until the deadline.
bool drain(int out_fd, int err_fd, std::string& out, std::string& err, Clock::time_point deadline) {
  std::array<pollfd, 2> fds{pollfd{out_fd, POLLIN, 0}, pollfd{err_fd, POLLIN, 0}};
  std::array<std::string*, 2> sinks{&out, &err};
  int open = 2;
  while (open > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    int n = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw system_error("poll");
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !fds[i].revents) continue;
      char buf[4096];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0 || sinks[i]->size() + static_cast<size_t>(got) > kMaxOutput) {
        if (got > 0) return false;  // too much output: treated as a helper that hangs
        fds[i].fd = -1;
        --open;
        continue;
      }
      sinks[i]->append(buf, static_cast<size_t>(got));
    }
  }
  return true;
}

}  // namespace

std::optional<Credentials> parse_credential_helper_output(const std::string& helper,
                                                          const std::string& registry,
                                                          const std::string& output) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(output);
  } catch (const nlohmann::json::exception&) {
    fail("{}: its output is not JSON: {:?}", who(helper, registry), excerpt(output));
  }
  if (!doc.is_object()) fail("{}: its output is not a JSON object", who(helper, registry));
  auto field = [&](const char* name) -> std::string {
    auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) return "";
    if (!it->is_string()) fail("{}: {} in its output is not a string", who(helper, registry), name);
    return it->get<std::string>();
  };
  std::string username = field("Username"), secret = field("Secret");
  (void)field("ServerURL");
  if (secret.empty()) return std::nullopt;
  if (username == "<token>") return Credentials{.username = "", .password = "", .identity_token = secret};
  if (username.empty()) fail("{}: its output has a Secret but no Username", who(helper, registry));
  return Credentials{.username = username, .password = secret};
}

std::optional<Credentials> run_credential_helper(const std::string& helper, const std::string& registry,
                                                 const std::string& server_url,
                                                 std::chrono::milliseconds timeout) {
  const std::string what = who(helper, registry);
  if (helper.empty() || helper.find('/') != std::string::npos || helper.find('\0') != std::string::npos)
    fail("{}: not a valid helper name", what);
  std::string path = find_on_path("docker-credential-" + helper, what);

  Pipe in = with_context(what, make_pipe), out = with_context(what, make_pipe),
       err = with_context(what, make_pipe);
  // The URL fits the pipe's buffer: written before the helper runs, so that a helper
  // that exits without reading it cannot raise SIGPIPE here.
  if (::write(in.write.get(), server_url.data(), server_url.size()) !=
      static_cast<ssize_t>(server_url.size()))
    throw system_error(what + ": write the server URL");
  in.write.reset();

  std::string argv0 = "docker-credential-" + helper;
  std::array<char*, 3> argv{argv0.data(), const_cast<char*>("get"), nullptr};
  auto helper_process = with_context(what, [&] {
    return ChildProcess::fork([&] {
      // Only async-signal-safe calls from here on.
      if (::dup2(in.read.get(), 0) < 0 || ::dup2(out.write.get(), 1) < 0 || ::dup2(err.write.get(), 2) < 0)
        ::_exit(127);
      ::close_range(3, ~0U, 0);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::signal(SIGPIPE, SIG_DFL);
      ::execve(path.c_str(), argv.data(), environ);
      ::_exit(127);
    });
  });
  in.read.reset();
  out.write.reset();
  err.write.reset();

  // A helper that hangs, or an exception on the way, leaves it killed and reaped.
  std::string stdout_text, stderr_text;
  if (!drain(out.read.get(), err.read.get(), stdout_text, stderr_text, Clock::now() + timeout))
    fail("{}: no answer within {}s (or an answer of more than {} bytes)", what,
         std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), kMaxOutput);
  int status = with_context(what, [&] { return helper_process.wait(); });
  if (WIFSIGNALED(status)) fail("{}: killed by signal {}", what, WTERMSIG(status));
  if (WEXITSTATUS(status) != 0) {
    // The protocol's "none": the helper says so on stdout (docker-credential-helpers) or stderr.
    if ((stdout_text + stderr_text).find("credentials not found") != std::string::npos) return std::nullopt;
    fail("{}: exited with status {}: {}", what, WEXITSTATUS(status),
         excerpt(stderr_text.empty() ? stdout_text : stderr_text));
  }
  return parse_credential_helper_output(helper, registry, stdout_text);
}

}  // namespace podlet::image
