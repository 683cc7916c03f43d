#include "network/process_identity.h"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"

namespace podlet::network {
namespace {

struct StatFields {
  char state = '?';
  uint64_t start_time = 0;
};

// /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and
// parentheses, so fields are counted from the last ')'.
std::optional<StatFields> read_stat(pid_t pid) {
  std::string text;
  try {
    text = read_file("/proc/" + std::to_string(pid) + "/stat");
  } catch (const Error&) {
    return std::nullopt;
  }
  auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::vector<std::string_view> fields;  // fields[0] is field 3 (state)
  std::string_view rest(text);
  rest.remove_prefix(close + 1);
  while (!rest.empty()) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    auto end = rest.find(' ');
    if (end == std::string_view::npos) end = rest.size();
    if (end > 0) fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  if (fields.size() < 20) return std::nullopt;
  StatFields out;
  out.state = fields[0].empty() ? '?' : fields[0][0];
  auto start = fields[19];  // field 22
  if (std::from_chars(start.data(), start.data() + start.size(), out.start_time).ec != std::errc()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

ProcessIdentity identify_process(pid_t pid) {
  auto stat = read_stat(pid);
  if (!stat) fail("process {} does not exist", pid);
  return {pid, stat->start_time};
}

bool process_alive(const ProcessIdentity& identity) {
  if (identity.pid <= 0) return false;
  auto stat = read_stat(identity.pid);
  return stat && stat->start_time == identity.start_time && stat->state != 'Z' && stat->state != 'X';
}

}  // namespace podlet::network
