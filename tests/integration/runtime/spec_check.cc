#include "spec_check.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include <fmt/core.h>

#include "runtime/capabilities.h"

namespace podlet::test {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The workload's uid when the spec fixes it: numeric, or a user of the test image.
std::optional<uint32_t> expected_uid(const plan::ProcessSpec& p) {
  if (p.uid) return p.uid;
  if (p.user.empty() || p.user == "root") return 0;
  if (p.user == "app") return 1000;
  if (p.user == "nobody") return 65534;
  return std::nullopt;
}

void add(std::vector<std::string>& args, const char* option, const std::string& value) {
  args.push_back(option);
  args.push_back(value);
}

// Masks: the spec's are masked, the usual ones it leaves out are not; its read-only
// paths are read-only, the usual ones of /proc it leaves out are writable.
void add_paths(std::vector<std::string>& args, const plan::ContainerSpec& spec) {
  for (const auto& path : spec.masked_paths) add(args, "--masked", path);
  for (const auto& path : podman_masked_paths())
    if (!contains(spec.masked_paths, path)) add(args, "--unmasked", path);
  for (const auto& path : spec.readonly_paths)
    if (!contains(spec.masked_paths, path)) add(args, "--readonly", path);
  for (const auto& path : podman_readonly_paths())
    if (!contains(spec.readonly_paths, path) && !contains(spec.masked_paths, path))
      add(args, "--writable", path);
}

void add_process(std::vector<std::string>& args, const plan::ProcessSpec& p) {
  uint64_t caps = runtime::parse_capabilities(p.capabilities.names) & own_bounding_set();
  add(args, "--bounding", fmt::format("{:x}", caps));
  auto uid = expected_uid(p);
  if (uid) add(args, "--effective", fmt::format("{:x}", *uid == 0 ? caps : 0));
  if (uid) add(args, "--uid", std::to_string(*uid));
  if (p.gid) add(args, "--gid", std::to_string(*p.gid));
  for (uint32_t g : p.supplemental_groups) add(args, "--group", std::to_string(g));
  add(args, "--no-new-privs", p.no_new_privileges ? "1" : "0");
  add(args, "--seccomp", p.seccomp.mode == "unconfined" ? "0" : "2");
  add(args, "--cwd", p.cwd);
  for (const auto& e : p.env) add(args, "--env", e);
  // What the container's child derives itself: the host name and the user's home.
  add(args, "--env-extra", "HOSTNAME");
  add(args, "--env-extra", "HOME");
}

}  // namespace

uint64_t own_bounding_set() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("CapBnd:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
  throw std::runtime_error("no CapBnd in /proc/self/status");
}

std::vector<std::string> check_spec_args(const plan::ContainerSpec& spec) {
  std::vector<std::string> args = {"/usr/bin/podlet-probe", "check-spec"};
  add_paths(args, spec);
  add(args, "--root-ro", spec.root.read_only ? "1" : "0");
  add(args, "--sys-ro", spec.sysfs_read_only ? "1" : "0");
  for (const auto& d : spec.devices)
    add(args, "--device", fmt::format("{}:{}:{}:{:o}:{}", d.type, d.major, d.minor, d.mode, d.path));
  add_process(args, spec.process);
  return args;
}

std::vector<std::string> spec_differences(Pod& pod, plan::ContainerSpec spec) {
  spec.process.args = check_spec_args(spec);
  auto report = pod.probe(spec);
  if (!report.is_object() || !report.contains("differences"))
    throw std::runtime_error("container " + spec.name +
                             ": the probe reported no differences list: " + report.dump());
  std::vector<std::string> out;
  for (const auto& d : report["differences"])
    out.push_back("container " + spec.name + ": " + d.get<std::string>());
  return out;
}

}  // namespace podlet::test
