#include "probe/probe_state.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fs_tree.h"

namespace podlet::probe {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProbeState, run, result, last, streak, stopped, message,
                                                checked_usec)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProbeRestarts, count, reason, message, exit_code,
                                                started_usec, finished_usec)

namespace {

const char* result_name(Result r) {
  return r == Result::success ? "success" : "failure";
}

template <typename T>
std::optional<T> read_json(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) return std::nullopt;
  try {
    return nlohmann::json::parse(read_file(path)).get<T>();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

template <typename T>
void write_json(const std::string& path, const T& value) {
  make_dirs(path.substr(0, path.rfind('/')), 0700);
  write_file_atomic(path, nlohmann::json(value).dump() + "\n", 0600);
}

}  // namespace

std::string container_run(uint32_t main_pid, uint64_t exec_main_start_usec) {
  return std::to_string(main_pid) + "@" + std::to_string(exec_main_start_usec);
}

ProbeState initial_state(const std::string& kind, const std::string& run) {
  ProbeState s;
  s.run = run;
  s.result = kind == "readiness" ? "failure" : kind == "liveness" ? "success" : "unknown";
  return s;
}

Verdict record(ProbeState& state, const plan::ProbeSpec& spec, Result result, const std::string& message,
               uint64_t now_usec) {
  const std::string name = result_name(result);
  state.checked_usec = now_usec;
  if (result == Result::failure) state.message = message;
  if (state.last == name) {
    ++state.streak;
  } else {
    state.last = name;
    state.streak = 1;
  }
  int32_t threshold = result == Result::success ? spec.success_threshold : spec.failure_threshold;
  if (state.streak < threshold || state.result == name) return Verdict::unchanged;
  state.result = name;
  if (result == Result::failure && spec.kind != "readiness") {
    // Held until the container runs again; the streak starts over then.
    state.stopped = true;
    state.streak = 0;
    return Verdict::kill;
  }
  if (result == Result::success && spec.kind == "startup") state.stopped = true;
  return Verdict::changed;
}

std::string state_path(const std::string& state_dir, const std::string& container, const std::string& kind) {
  return state_dir + "/probes/" + container + "." + kind + ".json";
}

std::optional<ProbeState> read_state(const std::string& path) {
  return read_json<ProbeState>(path);
}

void write_state(const std::string& path, const ProbeState& state) {
  write_json(path, state);
}

std::string restarts_path(const std::string& state_dir, const std::string& container) {
  return state_dir + "/probes/" + container + ".restarts.json";
}

std::optional<ProbeRestarts> read_restarts(const std::string& path) {
  return read_json<ProbeRestarts>(path);
}

void write_restarts(const std::string& path, const ProbeRestarts& restarts) {
  write_json(path, restarts);
}

}  // namespace podlet::probe
