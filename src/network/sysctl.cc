#include "network/sysctl.h"

#include <fcntl.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "network/netns_thread.h"

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
  // /proc/sys/net shows the namespace of the thread that opens it.
  run_in_netns(netns_fd, [&] { set_sysctl(key, value); });
}

}  // namespace podlet::network
