#include "cli/pod_stop.h"

#include <csignal>

#include <spdlog/spdlog.h>

#include "base/error.h"
#include "plan/unit_names.h"

namespace podlet::cli {

namespace {

using namespace std::chrono_literals;

constexpr auto kStopSlack = 30s;  // beyond the units' own stop timeouts
constexpr auto kUnknownStopTimeout = std::chrono::milliseconds(std::chrono::minutes(5));

void kill_services(systemd::UnitManager& units, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (n.ends_with(".slice")) continue;
    try {
      units.kill(n, SIGKILL, "all");
    } catch (const Error& e) {
      spdlog::debug("kill {}: {}", n, e.what());  // not loaded or not running: nothing to kill
    }
  }
}

}  // namespace

PodUnits pod_units(systemd::UnitManager& units, const std::string& ns, const std::string& name,
                   const plan::PodPlan* plan) {
  PodUnits out{{}, kUnknownStopTimeout};
  if (plan) {
    out.names = plan->unit_names();
    uint64_t longest = plan->infra_unit.timeout_stop_usec.value_or(0);
    for (const auto& c : plan->containers) longest = std::max(longest, c.unit.timeout_stop_usec.value_or(0));
    out.stop_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(longest)) +
        kStopSlack;
    return out;
  }
  auto n = plan::pod_unit_names(ns, name);
  out.names = {n.slice, n.infra};
  for (const auto& u : units.list_units(n.unit_globs())) {
    auto which = n.match(u.name);
    if (which && which->kind == plan::PodUnit::Kind::container) out.names.push_back(u.name);
  }
  return out;
}

bool stop_units(systemd::UnitManager& units, const PodUnits& pod, const StopOptions& options) {
  const auto& names = pod.names;
  if (names.empty()) return false;
  const std::string& slice = names.front();
  bool loaded = false;
  for (const auto& n : names)
    if (units.status(n)) loaded = true;
  if (!loaded) return false;

  if (options.force) kill_services(units, names);
  if (options.grace_seconds && !options.force) {
    try {
      units.stop(slice, std::chrono::seconds(std::max<int64_t>(*options.grace_seconds, 0)) + 1s);
    } catch (const Error& e) {
      spdlog::info("{}: grace period of {}s over: killing what still runs", slice, *options.grace_seconds);
      kill_services(units, names);
    }
  }
  // The slice's stop waits for every unit in it, containers before the infra.
  units.stop(slice, pod.stop_timeout);
  // Failed units stay loaded until reset.
  for (const auto& n : names) {
    try {
      units.reset_failed(n);
    } catch (const Error& e) {
      spdlog::debug("reset-failed {}: {}", n, e.what());
    }
  }
  return true;
}

}  // namespace podlet::cli
