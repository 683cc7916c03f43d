// The probe's check-spec mode driven by a container spec: what the spec says the
// container sees (masks, read-only paths, capabilities, no_new_privs, seccomp, ids,
// cwd, env, read-only root and /sys, devices), compared inside the container.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plan/runtime_spec.h"
#include "pod_fixture.h"

namespace podlet::test {

// The capabilities this test process may pass on (its bounding set): the runtime
// leaves out what it cannot grant.
uint64_t own_bounding_set();

// The probe's command line (podlet-probe check-spec ...) for what `spec` says.
std::vector<std::string> check_spec_args(const plan::ContainerSpec& spec);

// Runs `spec` with the probe's check-spec as its command; every difference between
// what the container saw and its spec, "container NAME: what" each.
std::vector<std::string> spec_differences(Pod& pod, plan::ContainerSpec spec);

}  // namespace podlet::test
