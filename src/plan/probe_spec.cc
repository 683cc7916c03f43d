#include "plan/probe_spec.h"

#include "base/atomic_file.h"
#include "base/error.h"
#include "plan/json_fields.h"

namespace podlet::plan {

PODLET_JSON_FIELDS(HttpHeaderSpec, name, value)
PODLET_JSON_FIELDS(HandlerSpec, exec, http_get, tcp_socket, grpc, grpc_service, sleep_seconds, any_status,
                   host, port, port_name, scheme, path, headers)
PODLET_JSON_FIELDS(ProbeSpec, pod, pod_id, state_dir, container, container_unit, container_spec_path, network,
                   kind, handler, initial_delay_seconds, timeout_seconds, period_seconds, success_threshold,
                   failure_threshold, termination_grace_period_seconds, kill_signal, restart_policy, pre_stop,
                   held_by_startup)
PODLET_JSON_FIELDS(ProbePlan, spec_path, spec, timer, service)
PODLET_JSON_FIELDS(HookPlan, spec_path, spec)

ProbeSpec load_probe_spec(const std::string& path) {
  std::string text = read_file(path);
  try {
    return nlohmann::json::parse(text).get<ProbeSpec>();
  } catch (const nlohmann::json::exception& e) {
    throw Error("probe spec " + path + ": " + e.what());
  }
}

}  // namespace podlet::plan
