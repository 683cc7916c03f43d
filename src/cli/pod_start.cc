#include "cli/pod_start.h"

#include <fmt/core.h>

#include "base/error.h"
#include "runtime/notify.h"

namespace podlet::cli {

namespace {

using namespace std::chrono_literals;

// Init containers may legitimately run long (migrations, downloads).
constexpr auto kInitTimeout = std::chrono::milliseconds(std::chrono::hours(1));

std::string with_tail(const std::string& message, const std::string& tail) {
  if (tail.empty()) return message;
  return message + "\nlast log lines:\n" + tail;
}

void start_unit(systemd::UnitManager& units, const plan::PodPlan& plan, const plan::UnitSpec& unit,
                const std::string& who, std::chrono::milliseconds timeout, const StartHooks& hooks) {
  try {
    units.start_transient(unit, timeout);
  } catch (const Error& e) {
    std::string tail = hooks.log_tail ? hooks.log_tail(plan, who) : "";
    throw Error(with_tail(fmt::format("pod {}: {}: {}", plan.qualified_name(),
                                      who == "infra" ? "infra" : "container " + who, e.what()),
                          tail));
  }
}

// A workload that ends before systemd processed its entrypoint's READY=1 fails the
// start job (systemd fails a Type=notify unit whose main process exits non-zero
// before READY), while one that ends a moment later leaves a started unit that
// then failed. For a container that is never restarted both are the same run to
// completion, reported by its unit's status (exit code, journal), not a failed play.
// The entrypoint's STATUS= tells it from a failed setup: it is set only once the
// workload became the main process (an exec failure counts as the workload's exit,
// as in Kubernetes).
bool workload_ran(systemd::UnitManager& units, const plan::ContainerPlan& c) {
  if (c.init || c.unit.restart != "no") return false;
  auto st = units.status(c.unit.name);
  return st && st->exec_main_code != 0 && st->status_text == runtime::kWorkloadIsMainStatus;
}

// A failed postStart hook fails the start job, and systemd then restarts the container
// under Restart=: the kubelet's FailedPostStartHook kill and restart. The pod was played,
// as in Kubernetes; ps shows the restarts and the journal the hook's failure.
bool restarting_after_post_start(systemd::UnitManager& units, const plan::ContainerPlan& c) {
  if (c.unit.exec_start_post.empty()) return false;
  auto st = units.status(c.unit.name);
  return st && st->active_state == "activating" && st->sub_state == "auto-restart";
}

}  // namespace

void start_pod(systemd::UnitManager& units, plan::PodPlan& plan, const StartHooks& hooks) {
  try {
    units.start_transient(plan.slice);
  } catch (Error& e) {
    e.add_context("pod " + plan.qualified_name());
    throw;
  }
  start_unit(units, plan, plan.infra_unit, "infra", systemd::kDefaultJobTimeout, hooks);
  if (plan.needs_pod_ip && hooks.complete_with_pod_ip) hooks.complete_with_pod_ip(plan);

  for (const auto& c : plan.containers) {
    bool runs_to_completion = c.init && !c.sidecar;
    try {
      start_unit(units, plan, c.unit, c.name, runs_to_completion ? kInitTimeout : systemd::kDefaultJobTimeout,
                 hooks);
    } catch (const Error&) {
      if (workload_ran(units, c)) continue;
      if (!restarting_after_post_start(units, c)) throw;
    }
    // Its probes' timers (bound to it) and services, as the unit file's Wants= would.
    for (const auto& p : c.probes) {
      try {
        units.start_transient_with(p.timer, {p.service});
      } catch (Error& e) {
        e.add_context(
            fmt::format("pod {}: container {}: {} probe", plan.qualified_name(), c.name, p.spec.kind));
        throw;
      }
    }
    if (!runs_to_completion) continue;
    // A oneshot's start job is done once its process exited 0; check anyway, so a
    // unit that did not stay "active (exited)" never lets app containers start.
    auto st = units.status(c.unit.name);
    if (st && st->active_state != "active") {
      std::string tail = hooks.log_tail ? hooks.log_tail(plan, c.name) : "";
      throw Error(with_tail(
          fmt::format("pod {}: init container {} did not complete: {} ({}), exit status {}",
                      plan.qualified_name(), c.name, st->active_state, st->result, st->exec_main_status),
          tail));
    }
  }
}

}  // namespace podlet::cli
