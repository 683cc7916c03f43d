// Pods' on-disk state: a pod exists while <runroot>/pods/<ns>_<name>/pod.json does.
// That dir holds the PodPlan and the specs its units run (written atomically,
// 0600: they may carry Secret values), and the infra's runtime files. Per-pod data
// that is not runtime state (container upper dirs, disk emptyDirs) lives under
// <root>/pods/<id>. Commands changing a pod hold <runroot>/locks/<id>.lock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/file_lock.h"
#include "plan/paths.h"
#include "plan/pod_plan.h"

namespace podlet::cli {

class PodState {
 public:
  explicit PodState(plan::Paths paths) : paths_(std::move(paths)) {}

  // Serialises play/down of one pod across podlet processes.
  FileLock lock(const std::string& pod_id) const;
  bool exists(const std::string& pod_id) const;
  // Writes pod.json and every spec file the plan names (infra, containers).
  void write(const plan::PodPlan& plan) const;
  // Rewrites the container spec files only (after planning again with the pod IP).
  void write_container_specs(const plan::PodPlan& plan) const;
  std::optional<plan::PodPlan> read(const std::string& pod_id) const;
  // Every pod with a readable pod.json, ordered by namespace and name.
  std::vector<plan::PodPlan> list() const;
  // Removes the pod's state dir, its data dir and spec dir. Leftover mounts below them
  // (an infra that could not clean up) are detached first; never crosses into another
  // file system. Idempotent.
  void remove(const plan::PodPlan& plan) const;
  void remove(const std::string& pod_id) const;

  const plan::Paths& paths() const { return paths_; }

 private:
  plan::Paths paths_;
};

}  // namespace podlet::cli
