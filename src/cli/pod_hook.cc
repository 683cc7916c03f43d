#include "cli/pod_hook.h"

#include <cstdlib>

#include <fmt/core.h>

#include "cli/container_kill.h"

namespace podlet::cli {

int run_hook(const plan::ProbeSpec& spec, systemd::UnitManager& units, const plan::Paths& paths) {
  auto st = units.status(spec.container_unit);
  if (spec.kind == "preStop") {
    // Unset: the main process already exited (or was never known); nothing to stop.
    const char* main_pid = std::getenv("MAINPID");
    if (!main_pid || !*main_pid || !st || st->main_pid == 0) return 0;
    kill_container_run(units, spec, *st, paths, Killer::in_unit);
    return 0;
  }
  if (!st || st->main_pid == 0) {
    probe_event(
        fmt::format("PostStart hook of container {} failed: the container is not running", spec.container));
    return 1;
  }
  auto r = run_handler(spec.handler, spec, *st, paths, std::chrono::seconds(spec.timeout_seconds));
  if (r.result == probe::Result::success) {
    hook_output(r.message);
    return 0;
  }
  probe_event(fmt::format("PostStart hook of container {} failed: {}", spec.container, r.message));
  return 1;
}

}  // namespace podlet::cli
