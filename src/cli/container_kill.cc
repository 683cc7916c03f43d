#include "cli/container_kill.h"

#include <signal.h>

#include <chrono>
#include <iostream>
#include <thread>

#include <fmt/core.h>

#include "base/error.h"
#include "cli/pod_address.h"
#include "probe/probe_state.h"
#include "systemd/properties.h"

namespace podlet::cli {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kPoll = 100ms;
constexpr auto kSettle = 5s;          // after SIGKILL: until systemd noticed the exit
constexpr auto kMinGracePeriod = 2s;  // kubelet's minimumGracePeriodInSeconds

std::string run_of(const systemd::UnitStatus& st) {
  return probe::container_run(st.main_pid, st.exec_main_start_timestamp_usec);
}

// Waits until the run `run` of the container is over (its main process gone or another
// one started) or `limit` passed.
bool wait_ended(systemd::UnitManager& units, const std::string& unit, const std::string& run,
                Clock::duration limit) {
  auto deadline = Clock::now() + limit;
  for (;;) {
    auto st = units.status(unit);
    if (!st || st->main_pid == 0 || run_of(*st) != run) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPoll);
  }
}

bool blockable(int signal) {
  return signal != SIGKILL && signal != SIGSTOP;
}

probe::CheckTarget check_target(const plan::HandlerSpec& handler, const plan::ProbeSpec& spec,
                                const systemd::UnitStatus& st, const plan::Paths& paths) {
  probe::CheckTarget t;
  if (!handler.exec.empty()) {
    t.exec = runtime::ExecTarget{static_cast<pid_t>(st.main_pid), st.control_group,
                                 plan::load_container_spec(spec.container_spec_path)};
  } else if (handler.host.empty() && !handler.sleep_seconds) {
    t.address = spec.network.enabled ? pod_address(spec.network, paths) : "127.0.0.1";
  }
  return t;
}

}  // namespace

void probe_event(const std::string& line) {
  std::cout << line + "\n" << std::flush;
}

void hook_output(const std::string& output) {
  if (output.empty()) return;
  std::cout << (output.ends_with('\n') ? output : output + "\n") << std::flush;
}

probe::CheckResult run_handler(const plan::HandlerSpec& handler, const plan::ProbeSpec& spec,
                               const systemd::UnitStatus& st, const plan::Paths& paths,
                               std::chrono::milliseconds timeout) {
  try {
    return probe::run_check(handler, check_target(handler, spec, st, paths), timeout);
  } catch (const std::exception& e) {
    // The target could not be found (its spec or the pod's address unreadable).
    return {probe::Result::failure, e.what()};
  }
}

void kill_container_run(systemd::UnitManager& units, const plan::ProbeSpec& spec,
                        const systemd::UnitStatus& st, const plan::Paths& paths, Killer killer) {
  const std::string run = run_of(st);
  const auto started = Clock::now();
  const auto grace = std::chrono::seconds(spec.termination_grace_period_seconds);
  if (spec.pre_stop) {
    auto r = run_handler(*spec.pre_stop, spec, st, paths, grace);
    if (r.result == probe::Result::failure)
      probe_event(fmt::format("PreStop hook of container {} failed: {}", spec.container, r.message));
    else
      hook_output(r.message);
  }
  // kubelet: what preStop left of the grace period, at least 2 s.
  auto left = std::max<Clock::duration>(grace - (Clock::now() - started), kMinGracePeriod);
  int signal = systemd::signal_number(spec.kill_signal);
  if (killer == Killer::in_unit && blockable(signal)) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal);
    if (int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0)
      throw Error(fmt::format("container {}: cannot block {}", spec.container, spec.kill_signal), rc);
  }
  bool all = killer == Killer::outside || blockable(signal);
  units.kill(spec.container_unit, signal, all ? "all" : "main");
  if (wait_ended(units, spec.container_unit, run, left)) return;
  probe_event(fmt::format("Container {}: grace period of {}s over, killing it", spec.container,
                          spec.termination_grace_period_seconds));
  units.kill(spec.container_unit, SIGKILL, killer == Killer::outside ? "all" : "main");
  wait_ended(units, spec.container_unit, run, kSettle);
}

}  // namespace podlet::cli
