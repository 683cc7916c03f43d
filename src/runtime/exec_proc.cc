#include "runtime/exec_proc.h"

#include <sstream>

#include "base/error.h"

namespace podlet::runtime {

namespace {

uint64_t parse_hex(const std::string& s) {
  return std::stoull(s, nullptr, 16);
}

}  // namespace

ProcessCredentials parse_proc_status(const std::string& status_text) {
  ProcessCredentials c;
  bool have_uid = false, have_gid = false, have_bnd = false;
  std::istringstream in(status_text);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::istringstream values(line.substr(colon + 1));
    if (key == "Uid" || key == "Gid") {
      uint32_t real = 0, effective = 0;
      if (!(values >> real >> effective)) fail("/proc status: malformed {} line", key);
      (key == "Uid" ? c.uid : c.gid) = effective;
      (key == "Uid" ? have_uid : have_gid) = true;
    } else if (key == "Groups") {
      uint32_t g;
      while (values >> g) c.groups.push_back(g);
    } else if (key == "CapBnd") {
      std::string hex;
      values >> hex;
      c.cap_bounding = parse_hex(hex);
      have_bnd = true;
    } else if (key == "NoNewPrivs") {
      int v = 0;
      values >> v;
      c.no_new_privs = v != 0;
    } else if (key == "Seccomp") {
      int v = 0;
      values >> v;
      c.seccomp = v != 0;
    }
  }
  if (!have_uid || !have_gid || !have_bnd) fail("/proc status: Uid, Gid or CapBnd missing");
  return c;
}

std::vector<std::string> parse_environ(const std::string& environ_text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < environ_text.size()) {
    size_t end = environ_text.find('\0', start);
    if (end == std::string::npos) end = environ_text.size();
    if (end > start) out.push_back(environ_text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace podlet::runtime
