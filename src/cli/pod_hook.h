// `podlet internal hook`: a container's lifecycle hook, run by the container's own unit.
// postStart (ExecStartPost=): runs the handler against the container that just started;
// a failure exits non-zero, so systemd fails the start, kills the container and restarts
// it under Restart= (the kubelet's FailedPostStartHook). preStop (ExecStop=): when systemd
// stops a container whose main process still runs, the hook runs the handler, then kills
// the container within the one grace period (container_kill.h). A container that exited by
// itself gets no preStop (systemd leaves $MAINPID unset then), as in Kubernetes.
#pragma once

#include "plan/paths.h"
#include "plan/probe_spec.h"
#include "systemd/manager.h"

namespace podlet::cli {

// The exit status for systemd: 0, or 1 when a postStart hook failed.
int run_hook(const plan::ProbeSpec& spec, systemd::UnitManager& units, const plan::Paths& paths);

}  // namespace podlet::cli
