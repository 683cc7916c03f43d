#include "cli/pod_probe.h"

#include <chrono>
#include <thread>

#include <fmt/core.h>

#include "base/error.h"
#include "cli/container_kill.h"
#include "probe/probe_state.h"
#include "systemd/properties.h"

namespace podlet::cli {

namespace {

using namespace std::chrono_literals;
using probe::ProbeState;

constexpr auto kPoll = 100ms;
constexpr auto kSettle = 5s;  // after a kill: until systemd has restarted the unit or left it

uint64_t now_usec() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

std::string capitalized(std::string kind) {
  if (!kind.empty()) kind[0] = static_cast<char>(kind[0] - 'a' + 'A');
  return kind;
}

bool running(const std::optional<systemd::UnitStatus>& st) {
  return st && st->is_active() && st->sub_state == "running" && st->main_pid != 0;
}

std::string run_of(const systemd::UnitStatus& st) {
  return probe::container_run(st.main_pid, st.exec_main_start_timestamp_usec);
}

// Whether liveness and readiness may run: the startup probe succeeded in this run.
bool started(const plan::ProbeSpec& spec, const std::string& run) {
  auto s = probe::read_state(probe::state_path(spec.state_dir, spec.container, "startup"));
  return s && s->run == run && s->result == "success";
}

// lastState of the run that was killed, and podlet's own restart of the unit when
// systemd does not restart it (OnFailure after a clean exit).
void after_kill(systemd::UnitManager& units, const plan::ProbeSpec& spec, const std::string& message,
                uint64_t started_usec) {
  const std::string path = probe::restarts_path(spec.state_dir, spec.container);
  auto restarts = probe::read_restarts(path).value_or(probe::ProbeRestarts{});
  auto st = units.status(spec.container_unit);
  for (auto deadline = std::chrono::steady_clock::now() + kSettle;
       st && st->active_state == "deactivating" && std::chrono::steady_clock::now() < deadline;
       st = units.status(spec.container_unit))
    std::this_thread::sleep_for(kPoll);
  if (st) {
    restarts.exit_code = st->exit_code();
    restarts.reason = restarts.exit_code == 0 ? "Completed" : "Error";
    restarts.message = message;
    restarts.started_usec = started_usec;
    restarts.finished_usec = st->exec_main_exit_timestamp_usec;
  }
  bool restarting = st && st->active_state == "activating";
  if (spec.restart_policy != "Never" && !restarting) {
    // RestartUnit starts systemd's NRestarts over: keep the count it had, plus this one.
    restarts.count += (st ? st->n_restarts : 0) + 1;
    probe::write_restarts(path, restarts);
    units.restart(spec.container_unit);
    return;
  }
  probe::write_restarts(path, restarts);
}

void kill_container(systemd::UnitManager& units, const plan::ProbeSpec& spec, const systemd::UnitStatus& st,
                    const plan::Paths& paths, const std::string& message) {
  probe_event(fmt::format("Container {} failed {} probe, will be {}", spec.container, spec.kind,
                          spec.restart_policy == "Never" ? "killed" : "restarted"));
  kill_container_run(units, spec, st, paths, Killer::outside);
  after_kill(units, spec, message, st.exec_main_start_timestamp_usec);
}

// Whether this run checks at all (kubelet's doProbe before it probes).
bool due(const plan::ProbeSpec& spec, const ProbeState& state, const systemd::UnitStatus& st) {
  if (state.stopped) return false;
  if (spec.held_by_startup && !started(spec, state.run)) return false;
  uint64_t since_start = now_usec() - std::min(now_usec(), st.exec_main_start_timestamp_usec);
  return since_start >= static_cast<uint64_t>(spec.initial_delay_seconds) * 1000000;
}

}  // namespace

void run_probe(const plan::ProbeSpec& spec, systemd::UnitManager& units, const plan::Paths& paths) {
  const std::string path = probe::state_path(spec.state_dir, spec.container, spec.kind);
  auto st = units.status(spec.container_unit);
  if (!running(st)) {
    // Not running: not ready, and nothing to check (kubelet: readiness Failure).
    auto state = probe::read_state(path);
    if (!state || !state->run.empty()) probe::write_state(path, probe::initial_state(spec.kind, ""));
    return;
  }
  const std::string run = run_of(*st);
  ProbeState state = probe::read_state(path).value_or(ProbeState{});
  if (state.run != run) state = probe::initial_state(spec.kind, run);
  if (!due(spec, state, *st)) {
    probe::write_state(path, state);
    return;
  }
  auto result = run_handler(spec.handler, spec, *st, paths, std::chrono::seconds(spec.timeout_seconds));
  if (result.result == probe::Result::failure)
    probe_event(fmt::format("{} probe failed: {}", capitalized(spec.kind), result.message));
  else if (!result.message.empty() && spec.handler.exec.empty())
    probe_event(fmt::format("{} probe warning: {}", capitalized(spec.kind), result.message));
  auto verdict = probe::record(state, spec, result.result, result.message, now_usec());
  probe::write_state(path, state);
  if (verdict == probe::Verdict::changed)
    probe_event(
        fmt::format("{} probe of container {}: {}", capitalized(spec.kind), spec.container, state.result));
  if (verdict == probe::Verdict::kill) kill_container(units, spec, *st, paths, result.message);
}

}  // namespace podlet::cli
