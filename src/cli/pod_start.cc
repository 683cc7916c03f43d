#include "cli/pod_start.h"

#include <fmt/core.h>

#include "base/error.h"

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

}  // namespace

void start_pod(systemd::UnitManager& units, plan::PodPlan& plan, const StartHooks& hooks) {
  try {
    units.start_transient(plan.slice);
  } catch (const Error& e) {
    throw e.with_context("pod " + plan.qualified_name());
  }
  start_unit(units, plan, plan.infra_unit, "infra", systemd::kDefaultJobTimeout, hooks);
  if (plan.needs_pod_ip && hooks.complete_with_pod_ip) hooks.complete_with_pod_ip(plan);

  for (const auto& c : plan.containers) {
    bool runs_to_completion = c.init && !c.sidecar;
    start_unit(units, plan, c.unit, c.name, runs_to_completion ? kInitTimeout : systemd::kDefaultJobTimeout, hooks);
    if (!runs_to_completion) continue;
    // A oneshot's start job is done once its process exited 0; check anyway, so a
    // unit that did not stay "active (exited)" never lets app containers start.
    auto st = units.status(c.unit.name);
    if (st && st->active_state != "active") {
      std::string tail = hooks.log_tail ? hooks.log_tail(plan, c.name) : "";
      throw Error(with_tail(fmt::format("pod {}: init container {} did not complete: {} ({}), exit status {}",
                                        plan.qualified_name(), c.name, st->active_state, st->result,
                                        st->exec_main_status),
                            tail));
    }
  }
}

}  // namespace podlet::cli
