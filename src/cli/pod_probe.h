// `podlet internal probe`: one run of one probe of a container, started by the probe's
// timer. It finds the container's current run from systemd, checks (probe/check.h),
// counts the result by the kubelet's rules (probe/probe_state.h), writes it for `ps`,
// and on a liveness or startup failure kills the container -- stop signal, SIGKILL after
// the grace period -- and has it started again unless its restart policy is Never.
// What it finds and does goes to the journal, as the kubelet's events would.
#pragma once

#include "plan/paths.h"
#include "plan/probe_spec.h"
#include "systemd/manager.h"

namespace podlet::cli {

void run_probe(const plan::ProbeSpec& spec, systemd::UnitManager& units, const plan::Paths& paths);

}  // namespace podlet::cli
