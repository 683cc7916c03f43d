#include "cli/pod_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fs_tree.h"
#include "base/unmount.h"

namespace fs = std::filesystem;

namespace podlet::cli {

namespace {

// Pod state and data dirs hold specs with Secret values: 0700 even when they existed.
void make_dir(const std::string& dir, mode_t mode) {
  make_dirs(dir, mode);
  ::chmod(dir.c_str(), mode);  // best effort, as before: a later open says what is wrong
}

// Leftover mounts below the dir (an infra that could not clean up) go first; a
// container may have written into the data dir, so the removal is the fd-based one.
void remove_dir(const std::string& dir) {
  if (dir.empty()) return;
  try {
    unmount_below(dir);
    remove_tree(dir);
  } catch (const Error& e) {
    spdlog::warn("not removed: {}", e.what());
  }
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
  for (const auto& c : plan.containers) {
    write_file_atomic(c.spec_path, nlohmann::json(c.spec).dump(2) + "\n", 0600);
    for (const auto& p : c.probes)
      write_file_atomic(p.spec_path, nlohmann::json(p.spec).dump(2) + "\n", 0600);
    for (const auto& h : c.hooks) write_file_atomic(h.spec_path, nlohmann::json(h.spec).dump(2) + "\n", 0600);
  }
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
