// The container entrypoint a container unit runs (`podlet-runtime container --spec FILE`,
// also reached through `podlet internal container`): reads the planner's ContainerSpec,
// starts the workload in the pod, hands it to systemd (MAINPID=, READY=1) and returns.
#pragma once

#include <string>

namespace podlet::runtime {

// Runs the entrypoint on the spec at spec_path. Returns the process's exit code: 0 once
// the workload runs, kExitSetupFailed / kExitCannotExec / kExitNotFound when it could
// not start (the message, naming the container and the step, is on stderr in one write).
// With tty: true it stays as the terminal's relay until the workload is gone (tty_relay.h).
int run_container_entrypoint(const std::string& spec_path);

}  // namespace podlet::runtime
