#include "network/sysctl.h"

#include <fcntl.h>

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

}  // namespace podlet::network
