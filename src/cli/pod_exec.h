// `podlet exec`'s part in the CLI: finding the target -- the pod's state, the
// container, its unit's main process and cgroup -- and forwarding the user's terminal.
// Entering the container is the runtime's (runtime/exec.h).
#pragma once

#include <string>

#include "cli/pod_ref.h"
#include "plan/paths.h"
#include "runtime/exec.h"

namespace podlet::cli {

// The running container `container` of the pod (empty: its first app container).
// Throws podlet::Error when the pod or container is unknown or not running.
runtime::ExecTarget find_exec_target(const plan::Paths& paths, const PodRef& ref,
                                     const std::string& container);

// Runs the command and returns its exit status (128 + signal when killed). With -t,
// podlet's terminal is relayed to the command's pty (raw meanwhile with -i) and its
// window size passed on. Throws runtime::ExecError when the container cannot be
// entered or the command not executed.
int run_exec(const runtime::ExecTarget& target, const runtime::ExecOptions& options);

}  // namespace podlet::cli
