// What a probe's runs have established, per container run, and the kubelet's rules
// for it (pkg/kubelet/prober/worker.go): a probe's result starts as readiness Failure,
// liveness Success, startup Unknown; a run that gives the same result as the one before
// extends the streak, another starts a new one; the result changes only when a streak
// reaches successThreshold (for success) or failureThreshold (for failure). A liveness
// or startup probe that reaches Failure kills the container: it then stops probing
// until the container runs again. A startup probe that reached Success stops, and
// liveness and readiness wait for it. A new run of the container (its unit's main
// process and start time) starts over.
//
// Each probe keeps its state in one JSON file under the pod's state dir (probes/),
// replaced atomically: the probe run that owns it writes, `ps` reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "plan/probe_spec.h"
#include "probe/check.h"

namespace podlet::probe {

struct ProbeState {
  std::string run;            // the container run it is about ("<main pid>@<start usec>")
  std::string result;         // success | failure | unknown: what the probe reports
  std::string last;           // the last check's result
  int32_t streak = 0;         // checks in a row with `last`
  bool stopped = false;       // no more checks in this run (liveness/startup failed, startup succeeded)
  std::string message;        // the last failed check's reason
  uint64_t checked_usec = 0;  // CLOCK_REALTIME of the last check
};

// Names one run of a container: its unit's main process and when it started.
std::string container_run(uint32_t main_pid, uint64_t exec_main_start_usec);

// A probe's state at the start of a container run.
ProbeState initial_state(const std::string& kind, const std::string& run);

enum class Verdict {
  unchanged,  // the reported result stays
  changed,    // it changed (readiness flipped, startup succeeded)
  kill,       // liveness or startup reached Failure: kill the container
};

// Counts one check's result into `state`.
Verdict record(ProbeState& state, const plan::ProbeSpec& spec, Result result, const std::string& message,
               uint64_t now_usec);

// The probe's file, and reading and writing it. read_state: nullopt when there is none
// or it cannot be read (a torn file is never written: atomic replace).
std::string state_path(const std::string& state_dir, const std::string& container, const std::string& kind);
std::optional<ProbeState> read_state(const std::string& path);
void write_state(const std::string& path, const ProbeState& state);

// Restarts of a container that podlet made (a liveness or startup kill), which
// systemd's NRestarts does not count once a restart was asked for (it starts over),
// and the last such termination, as Kubernetes' lastState reports it.
struct ProbeRestarts {
  uint32_t count = 0;  // restarts before the current run of the unit's NRestarts
  std::string reason;  // lastState.terminated: "Error" | "Completed"
  std::string message;
  int exit_code = 0;
  uint64_t started_usec = 0;
  uint64_t finished_usec = 0;
};
std::string restarts_path(const std::string& state_dir, const std::string& container);
std::optional<ProbeRestarts> read_restarts(const std::string& path);
void write_restarts(const std::string& path, const ProbeRestarts& restarts);

}  // namespace podlet::probe
