#include "cli/pod_play.h"

#include <csignal>
#include <iostream>
#include <set>
#include <thread>

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "base/error.h"
#include "base/file_lock.h"
#include "base/scope_guard.h"
#include "cli/commands.h"
#include "cli/host_facts.h"
#include "cli/manifest_input.h"
#include "cli/pod_address.h"
#include "cli/pod_down.h"
#include "cli/pod_images.h"
#include "cli/pod_journal.h"
#include "cli/pod_start.h"
#include "cli/pod_state.h"
#include "cli/pod_status.h"
#include "image/store.h"
#include "plan/planner.h"

namespace podlet::cli {

namespace {

// What play needs of one pod: the manifest pod, its images and its plan.
struct PodWork {
  const manifest::Pod* pod;
  std::map<std::string, plan::ImageData> images;
  plan::PodPlan plan;
};

volatile std::sig_atomic_t g_interrupted = 0;
void on_interrupt(int) {
  g_interrupted = 1;
}

std::vector<PodWork> plan_all(const manifest::Manifest& m, const std::string& file,
                              const plan::PlanOptions& options, const plan::Paths& paths) {
  if (m.pods.empty()) fail("{}: no pods to play", file);
  image::Store store(paths.image_store());
  std::vector<PodWork> work;
  std::set<std::string> seen;
  for (const auto& pod : m.pods) {
    if (!seen.insert(pod.key()).second) fail("{}: pod {} is defined twice", file, pod.key());
    PodWork w{&pod, resolve_images(pod, store), {}};
    w.plan = plan::plan_pod(pod, m, w.images, options);
    work.push_back(std::move(w));
  }
  return work;
}

void print_dry_run(const std::vector<PodWork>& work, const std::string& output, std::ostream& out) {
  if (output == "json") {
    nlohmann::json plans = nlohmann::json::array();
    for (const auto& w : work) plans.push_back(w.plan);
    out << plans.dump(2) << "\n";
    return;
  }
  for (const auto& w : work) {
    out << fmt::format("pod {} (dry run: nothing started)\n", w.plan.qualified_name());
    for (const auto& u : w.plan.unit_names()) out << "  " << u << "\n";
  }
}

void print_started(const std::vector<PodWork>& work, systemd::UnitManager& units, const plan::Paths& paths,
                   const std::string& output, std::ostream& out) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& w : work) {
    auto st = pod_status(w.plan, units, pod_address(w.plan, paths));
    if (output == "json") {
      items.push_back(kubernetes_pod(w.plan, st));
      continue;
    }
    out << fmt::format("pod {} {}: {}/{} containers ready{}\n", w.plan.qualified_name(), st.phase,
                       st.ready_count(), st.app_count(), st.pod_ip.empty() ? "" : ", IP " + st.pod_ip);
    out << fmt::format("  units in {}\n", w.plan.slice.name);
  }
  if (output == "json")
    out << nlohmann::json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}}.dump(2) << "\n";
}

// Polls until every app container of every pod terminated (or the user interrupts).
int wait_until_exited(const std::vector<PodWork>& work, systemd::UnitManager& units) {
  int code = 0;
  for (const auto& w : work) {
    while (!g_interrupted) {
      auto st = pod_status(w.plan, units, "");
      if (st.finished() || st.phase == "Failed" || st.phase == "Unknown") {
        if (code == 0) code = st.exit_code();
        if (code == 0 && st.phase != "Succeeded") code = 1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return g_interrupted ? 130 : code;
}

// Polls until every app container of every pod is ready, or a pod ended or failed.
// Returns 0, or 124 (as timeout(1)) when the time ran out first, naming what is not ready.
int wait_until_ready(const std::vector<PodWork>& work, systemd::UnitManager& units, const plan::Paths& paths,
                     std::chrono::seconds timeout, std::ostream& err) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& w : work) {
    for (;;) {
      auto st = pod_status(w.plan, units, pod_address(w.plan, paths));
      if (st.finished() || st.phase == "Failed" || st.phase == "Unknown") break;
      if (st.phase == "Running" && st.ready_count() == st.app_count()) break;
      if (g_interrupted) return 130;
      if (std::chrono::steady_clock::now() >= deadline) {
        for (const auto& c : st.containers)
          if (!c.init && !c.ready)
            err << fmt::format(
                "podlet: pod {}: container {} is not ready after {}s ({})\n", w.plan.qualified_name(), c.name,
                timeout.count(),
                c.state == "running" ? (c.started ? "readiness probe" : "startup probe") : c.state);
        return kExitWaitTimeout;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return 0;
}

}  // namespace

int play(const std::string& file, const PlayOptions& options, const plan::Paths& paths, std::ostream& out,
         std::ostream& err) {
  auto manifest = read_manifest(file, err);
  auto plan_options = host_plan_options(paths);
  auto work = plan_all(manifest, file, plan_options, paths);
  if (options.dry_run) {
    print_dry_run(work, options.output, out);
    return kExitOk;
  }

  require_runtime_binary();
  systemd::Manager units;
  PodState state(paths);
  std::vector<FileLock> locks;
  Rollback rollback([](const std::string& m) { spdlog::warn("{}", m); });
  for (auto& w : work) {
    const auto& p = w.plan;
    locks.push_back(state.lock(p.pod_id));
    bool loaded = units.status(p.slice.name) || units.status(p.infra_unit.name);
    if (state.exists(p.pod_id) || loaded) {
      if (!options.replace)
        fail("pod {} already exists (remove it with `podlet down {}`, or play with --replace)",
             p.qualified_name(), p.qualified_name());
      err << fmt::format("replacing pod {}\n", p.qualified_name());
      down_pod(units, state, p.ns, p.name, StopOptions{});
    }
    rollback.push("pod " + p.qualified_name(), [&units, &state, &err, p] {
      err << fmt::format("pod {}: rolling back\n", p.qualified_name());
      down_pod(units, state, p.ns, p.name, StopOptions{.force = true});
    });
    state.write(p);
    StartHooks hooks;
    hooks.log_tail = [](const plan::PodPlan& pl, const std::string& c) {
      return container_log_tail(pl.ns, pl.name, c);
    };
    hooks.complete_with_pod_ip = [&](plan::PodPlan& pl) {
      auto o = plan_options;
      o.pod_ip = pod_address(pl, paths);
      pl = plan::plan_pod(*w.pod, manifest, w.images, o);
      state.write(pl);
    };
    start_pod(units, w.plan, hooks);
  }

  if (!options.wait || std::all_of(work.begin(), work.end(),
                                   [](const PodWork& w) { return w.plan.restart_policy == "Always"; })) {
    rollback.dismiss();
    int code = kExitOk;
    if (options.wait) {
      std::signal(SIGINT, on_interrupt);
      std::signal(SIGTERM, on_interrupt);
      code = wait_until_ready(work, units, paths, std::chrono::seconds(options.wait_timeout_seconds), err);
    }
    print_started(work, units, paths, options.output, out);
    return code;
  }
  // --wait on pods that run to completion: their exit status, then they go (as Podman).
  rollback.dismiss();
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  int code = wait_until_exited(work, units);
  for (const auto& w : work) down_pod(units, state, w.plan.ns, w.plan.name, StopOptions{});
  return code;
}

}  // namespace podlet::cli
