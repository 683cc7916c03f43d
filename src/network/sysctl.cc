#include "network/sysctl.h"

#include <fcntl.h>
#include <sched.h>

#include <exception>
#include <thread>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"

namespace podlet::network {

std::string get_sysctl(const std::string& key) {
  std::string value = read_file("/proc/sys/" + key);
  while (!value.empty() && value.back() == '\n') value.pop_back();
  return value;
}

void set_sysctl(const std::string& key, const std::string& value) {
  with_context("sysctl " + key, [&] {
    if (get_sysctl(key) == value) return;
    UniqueFd fd = open_fd("/proc/sys/" + key, O_WRONLY);
    write_all(fd.get(), value + "\n");
  });
}

void set_sysctl_in_netns(int netns_fd, const std::string& key, const std::string& value) {
  // setns(CLONE_NEWNET) changes only the calling thread, and /proc/sys/net shows
  // the namespace of the thread that opens it: a short-lived thread does the write.
  std::exception_ptr error;
  std::thread([&] {
    try {
      if (::setns(netns_fd, CLONE_NEWNET) < 0) throw system_error("join network namespace");
      set_sysctl(key, value);
    } catch (...) {
      error = std::current_exception();
    }
  }).join();
  if (error) std::rethrow_exception(error);
}

}  // namespace podlet::network
