// A container's probe (liveness, readiness, startup) or lifecycle hook as pure data:
// what to check and the kubelet's timing rules, for `podlet internal probe`, which a
// systemd timer of the probe's own runs every periodSeconds, and for `podlet internal
// hook`, which the container's unit runs as ExecStartPost= and ExecStop= (planner_probes.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/runtime_spec.h"
#include "plan/unit_spec.h"

namespace podlet::plan {

struct HttpHeaderSpec {
  std::string name;
  std::string value;
};

// What one check does. Exactly one of exec, http_get, tcp_socket, grpc and sleep_seconds is set.
struct HandlerSpec {
  std::vector<std::string> exec;  // argv, run inside the container as `podlet exec` runs it
  bool http_get = false;
  bool tcp_socket = false;
  bool grpc = false;                     // grpc.health.v1.Health/Check
  std::string grpc_service;              // grpc: the service asked about (empty: the server's)
  std::optional<int64_t> sleep_seconds;  // lifecycle hooks only
  // Lifecycle hooks: httpGet succeeds with any answer, as the kubelet's handler runner
  // checks only that the request was answered (probes: 200-399).
  bool any_status = false;
  // http_get, tcp_socket and grpc: where to connect. An empty host is the pod's IP (for a
  // hostNetwork pod the host's loopback); port 0 with port_name set: the container
  // declares no port of that name, and every check fails saying so.
  std::string host;
  int32_t port = 0;
  std::string port_name;
  std::string scheme = "HTTP";  // http_get: HTTP | HTTPS (certificates are not verified)
  std::string path = "/";
  std::vector<HttpHeaderSpec> headers;
};

struct ProbeSpec {
  std::string pod;  // "<ns>/<name>", for messages
  std::string pod_id;
  std::string state_dir;  // the pod's runtime state dir: results under probes/
  std::string container;
  std::string container_unit;
  std::string container_spec_path;  // exec: the container's spec (working dir, seccomp)
  // The pod's network (disabled: hostNetwork), where IPAM has the pod's address.
  NetworkSpec network;
  std::string kind;  // liveness | readiness | startup; a hook's: postStart | preStop
  HandlerSpec handler;
  int32_t initial_delay_seconds = 0;
  int32_t timeout_seconds = 1;
  int32_t period_seconds = 10;
  int32_t success_threshold = 1;
  int32_t failure_threshold = 3;
  // liveness and startup failures: the container is killed with `kill_signal`, then
  // SIGKILL after this grace (the probe's terminationGracePeriodSeconds, else the pod's),
  // and started again unless its restart policy is Never.
  int64_t termination_grace_period_seconds = 30;
  std::string kill_signal = "SIGTERM";
  std::string restart_policy = "Always";  // the container's: Always | OnFailure | Never
  // The container's lifecycle.preStop, which runs before the kill signal (liveness and
  // startup failures, and the preStop hook itself), within the grace period.
  std::optional<HandlerSpec> pre_stop;
  // Liveness and readiness wait for the startup probe to succeed first.
  bool held_by_startup = false;
};

// One probe of a container and the two units that run it: `timer` starts `service`
// (Type=oneshot, `podlet internal probe --spec spec_path`) every periodSeconds while the
// container's unit is up (BindsTo); the service runs in the pod's slice.
struct ProbePlan {
  std::string spec_path;
  ProbeSpec spec;
  UnitSpec timer;
  UnitSpec service;
};

// A container's lifecycle hook: the container's unit runs `podlet internal hook --spec
// spec_path` as ExecStartPost= (postStart) or ExecStop= (preStop). Only the fields of
// ProbeSpec that say which container, how to reach it and how to stop it apply.
struct HookPlan {
  std::string spec_path;
  ProbeSpec spec;
};

void to_json(nlohmann::json& j, const HttpHeaderSpec& v);
void from_json(const nlohmann::json& j, HttpHeaderSpec& v);
void to_json(nlohmann::json& j, const HandlerSpec& v);
void from_json(const nlohmann::json& j, HandlerSpec& v);
void to_json(nlohmann::json& j, const ProbeSpec& v);
void from_json(const nlohmann::json& j, ProbeSpec& v);
void to_json(nlohmann::json& j, const ProbePlan& v);
void from_json(const nlohmann::json& j, ProbePlan& v);
void to_json(nlohmann::json& j, const HookPlan& v);
void from_json(const nlohmann::json& j, HookPlan& v);

ProbeSpec load_probe_spec(const std::string& path);

}  // namespace podlet::plan
