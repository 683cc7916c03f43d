// Killing one run of a container as the kubelet's killContainer does, for the
// liveness/startup probes (pod_probe.h) and the preStop hook (pod_hook.h): the
// container's preStop first, within the grace period; then the stop signal; SIGKILL
// when what is left of the grace period (at least 2 s, as the kubelet) is over.
#pragma once

#include <string>

#include "plan/paths.h"
#include "plan/probe_spec.h"
#include "probe/check.h"
#include "systemd/manager.h"

namespace podlet::cli {

// A line for the journal, written whole, as the kubelet's events.
void probe_event(const std::string& line);
// What a hook's exec command printed, for the journal: the container's log when the hook
// runs in the container's unit (`podlet logs`, `journalctl -u`), the probe's on its kill.
void hook_output(const std::string& output);

// The check of `handler` (spec's own or its pre_stop) against the container's run `st`:
// exec enters it, httpGet/tcpSocket/grpc connect to the pod's IP. A target that cannot
// be found is a failed check with its reason (never throws).
probe::CheckResult run_handler(const plan::HandlerSpec& handler, const plan::ProbeSpec& spec,
                               const systemd::UnitStatus& st, const plan::Paths& paths,
                               std::chrono::milliseconds timeout);

// Where the killer runs: outside the container's unit (a probe's service) or inside it
// (ExecStop=), where it must not be killed itself: it blocks the stop signal, and SIGKILL
// goes to the main process only (systemd stops the rest once ExecStop= returned).
enum class Killer { outside, in_unit };

// Kills the run `st` of spec.container_unit; returns once it ended (or SIGKILL was sent
// and a few seconds passed).
void kill_container_run(systemd::UnitManager& units, const plan::ProbeSpec& spec,
                        const systemd::UnitStatus& st, const plan::Paths& paths, Killer killer);

}  // namespace podlet::cli
