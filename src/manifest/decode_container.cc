// Decoders for a container and its probes; its security context is in
// decode_security.cc, the plain structs it is made of in field_tables.h.
#include "manifest/decode.h"

namespace podlet::manifest::detail {

void decode(DocContext& c, const Node* n, const std::string& path, Probe& out) {
  Fields f(c, n, path);
  // Zero means "use the default" (Kubernetes defaulting), so read into zeroed fields.
  out = Probe{{}, 0, 0, 0, 0, 0, std::nullopt};
  f.get("exec", out.handler.exec);
  f.get("httpGet", out.handler.http_get);
  f.get("tcpSocket", out.handler.tcp_socket);
  f.get("grpc", out.handler.grpc);
  f.get("initialDelaySeconds", out.initial_delay_seconds);
  f.get("timeoutSeconds", out.timeout_seconds);
  f.get("periodSeconds", out.period_seconds);
  f.get("successThreshold", out.success_threshold);
  f.get("failureThreshold", out.failure_threshold);
  f.get("terminationGracePeriodSeconds", out.termination_grace_period_seconds);
}

namespace {

using C = Container;
constexpr std::tuple kContainerFields{
    Field{"name", &C::name},
    Field{"image", &C::image},
    Field{"imagePullPolicy", &C::image_pull_policy},
    Field{"command", &C::command},
    Field{"args", &C::args},
    Field{"workingDir", &C::working_dir},
    Field{"ports", &C::ports},
    Field{"envFrom", &C::env_from},
    Field{"env", &C::env},
    Field{"resources", &C::resources},
    NotHonoured{"resizePolicy", "resources are fixed when the container starts"},
    Field{"restartPolicy", &C::restart_policy},
    Field{"volumeMounts", &C::volume_mounts},
    Field{"volumeDevices", &C::volume_devices},
    Field{"livenessProbe", &C::liveness_probe},
    Field{"readinessProbe", &C::readiness_probe},
    Field{"startupProbe", &C::startup_probe},
    Field{"lifecycle", &C::lifecycle},
    Field{"terminationMessagePath", &C::termination_message_path},
    Field{"terminationMessagePolicy", &C::termination_message_policy},
    Field{"securityContext", &C::security_context},
    Field{"stdin", &C::stdin},
    Field{"stdinOnce", &C::stdin_once},
    Field{"tty", &C::tty},
};

}  // namespace

void decode(DocContext& c, const Node* n, const std::string& path, Container& out) {
  Fields f(c, n, path);
  read_fields(f, out, kContainerFields);
  // Decoded so that they are checked, but there are no block volumes.
  if (!out.volume_devices.empty())
    c.warn(f.take("volumeDevices"), f.path("volumeDevices"),
           "podlet does not honour this field; it is ignored (no block volumes)");
}

}  // namespace podlet::manifest::detail
