#include "cli/pod_state.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "base/atomic_file.h"
#include "base/error.h"

namespace fs = std::filesystem;

namespace podlet::cli {

namespace {

void make_dir(const std::string& dir, mode_t mode) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw system_error("create " + dir, ec.value());
  ::chmod(dir.c_str(), mode);
}

// Mount points at or below `dir`, deepest first (from /proc/self/mountinfo).
std::vector<std::string> mounts_below(const std::string& dir) {
  std::ifstream in("/proc/self/mountinfo");
  std::vector<std::string> found;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string id, parent, devno, root, mount_point;
    words >> id >> parent >> devno >> root >> mount_point;
    // mountinfo escapes spaces and the like as \040: podlet's own paths never contain them.
    if (mount_point == dir || mount_point.starts_with(dir + "/")) found.push_back(mount_point);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return found;
}

// Removes a tree without descending into another file system.
void remove_tree(const std::string& path, dev_t dev) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) < 0) return;
  if (st.st_dev != dev) {
    spdlog::warn("not removing {}: another file system is mounted there", path);
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(path, ec)) remove_tree(entry.path().string(), dev);
    if (::rmdir(path.c_str()) < 0 && errno != ENOENT) spdlog::warn("rmdir {}: {}", path, std::strerror(errno));
  } else if (::unlink(path.c_str()) < 0 && errno != ENOENT) {
    spdlog::warn("unlink {}: {}", path, std::strerror(errno));
  }
}

void remove_dir(const std::string& dir) {
  if (dir.empty()) return;
  for (const auto& m : mounts_below(dir))
    if (::umount2(m.c_str(), MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
      spdlog::warn("unmount leftover {}: {}", m, std::strerror(errno));
  struct stat st {};
  if (::lstat(dir.c_str(), &st) < 0) return;
  remove_tree(dir, st.st_dev);
}

}  // namespace

FileLock PodState::lock(const std::string& pod_id) const {
  make_dir(paths_.runroot + "/locks", 0700);
  return FileLock(paths_.runroot + "/locks/" + pod_id + ".lock");
}

bool PodState::exists(const std::string& pod_id) const {
  return ::access((paths_.pod_state(pod_id) + "/" + plan::kPodPlanFile).c_str(), F_OK) == 0;
}

void PodState::write_container_specs(const plan::PodPlan& plan) const {
  for (const auto& c : plan.containers) write_file_atomic(c.spec_path, nlohmann::json(c.spec).dump(2) + "\n", 0600);
}

void PodState::write(const plan::PodPlan& plan) const {
  make_dir(paths_.runroot + "/pods", 0700);
  make_dir(plan.state_dir, 0700);
  make_dir(plan.spec_dir, 0700);
  make_dir(paths_.pod_data(plan.pod_id), 0700);
  write_file_atomic(plan.infra_spec_path, nlohmann::json(plan.infra).dump(2) + "\n", 0600);
  write_container_specs(plan);
  // Last: pod.json is what makes the pod exist for other commands.
  write_file_atomic(plan.state_dir + "/" + plan::kPodPlanFile, nlohmann::json(plan).dump(2) + "\n", 0600);
}

std::optional<plan::PodPlan> PodState::read(const std::string& pod_id) const {
  std::string path = paths_.pod_state(pod_id) + "/" + plan::kPodPlanFile;
  if (::access(path.c_str(), F_OK) != 0) return std::nullopt;
  try {
    return nlohmann::json::parse(read_file(path)).get<plan::PodPlan>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: {}", path, e.what()));
  }
}

std::vector<plan::PodPlan> PodState::list() const {
  std::vector<plan::PodPlan> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(paths_.runroot + "/pods", ec)) {
    if (!entry.is_directory()) continue;
    try {
      if (auto p = read(entry.path().filename().string())) out.push_back(std::move(*p));
    } catch (const Error& e) {
      spdlog::warn("{}", e.what());
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.pod_id < b.pod_id; });
  return out;
}

void PodState::remove(const plan::PodPlan& plan) const {
  remove_dir(plan.state_dir);
  if (plan.spec_dir != plan.state_dir) remove_dir(plan.spec_dir);
  remove_dir(paths_.pod_data(plan.pod_id));
}

void PodState::remove(const std::string& pod_id) const {
  remove_dir(paths_.pod_state(pod_id));
  remove_dir(paths_.pod_data(pod_id));
}

}  // namespace podlet::cli
