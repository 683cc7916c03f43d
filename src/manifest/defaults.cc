#include "manifest/defaults.h"

#include <openssl/sha.h>

#include <cstdio>

namespace podlet::manifest {
namespace {

void default_probe(Probe& p) {
  if (p.timeout_seconds == 0) p.timeout_seconds = 1;
  if (p.period_seconds == 0) p.period_seconds = 10;
  if (p.success_threshold == 0) p.success_threshold = 1;
  if (p.failure_threshold == 0) p.failure_threshold = 3;
  if (p.handler.http_get) {
    if (p.handler.http_get->path.empty()) p.handler.http_get->path = "/";
    if (p.handler.http_get->scheme.empty()) p.handler.http_get->scheme = "HTTP";
  }
}

void default_handler(std::optional<LifecycleHandler>& h) {
  if (h && h->http_get) {
    if (h->http_get->path.empty()) h->http_get->path = "/";
    if (h->http_get->scheme.empty()) h->http_get->scheme = "HTTP";
  }
}

void default_container(Container& c, bool host_network) {
  if (c.image_pull_policy.empty()) c.image_pull_policy = default_pull_policy(c.image);
  if (c.termination_message_path.empty()) c.termination_message_path = "/dev/termination-log";
  if (c.termination_message_policy.empty()) c.termination_message_policy = "File";
  for (auto& port : c.ports) {
    if (port.protocol.empty()) port.protocol = "TCP";
    if (host_network && port.host_port == 0) port.host_port = port.container_port;
  }
  for (auto& m : c.volume_mounts) {
    if (m.mount_propagation.empty()) m.mount_propagation = "None";
  }
  for (auto& e : c.env) {
    if (!e.value_from) continue;
    if (e.value_from->field_ref && e.value_from->field_ref->api_version.empty()) {
      e.value_from->field_ref->api_version = "v1";
    }
    if (auto& r = e.value_from->resource_field_ref) {
      if (r->divisor.text.empty()) r->divisor = *parse_quantity("1");
    }
  }
  // Requests default to limits, resource by resource.
  for (const auto& [name, limit] : c.resources.limits) c.resources.requests.emplace(name, limit);
  for (auto* p : {&c.liveness_probe, &c.readiness_probe, &c.startup_probe}) {
    if (*p) default_probe(**p);
  }
  if (c.lifecycle) {
    default_handler(c.lifecycle->post_start);
    default_handler(c.lifecycle->pre_stop);
  }
}

void default_volume(Volume& v) {
  if (v.kind() == Volume::Kind::kNone) v.empty_dir = EmptyDirVolumeSource{};  // as Kubernetes does
  auto default_files = [](DownwardAPIVolumeSource& d) {
    for (auto& item : d.items) {
      if (item.field_ref && item.field_ref->api_version.empty()) item.field_ref->api_version = "v1";
      if (item.resource_field_ref && item.resource_field_ref->divisor.text.empty()) {
        item.resource_field_ref->divisor = *parse_quantity("1");
      }
    }
  };
  if (v.downward_api) default_files(*v.downward_api);
  if (v.projected) {
    for (auto& s : v.projected->sources) {
      if (s.downward_api) default_files(*s.downward_api);
    }
  }
}

// Kubernetes' name generator alphabet (no vowels, no confusable characters).
std::string generated_suffix(std::string_view seed) {
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), digest);
  std::string out;
  for (int i = 0; i < 5; ++i) out += kAlphabet[digest[i] % kAlphabet.size()];
  return out;
}

}  // namespace

std::string default_pull_policy(std::string_view image) {
  if (image.find('@') != std::string_view::npos) return "IfNotPresent";
  const size_t slash = image.rfind('/');
  const size_t colon = image.rfind(':');
  const bool tagged = colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash);
  if (!tagged || image.substr(colon + 1) == "latest") return "Always";
  return "IfNotPresent";
}

std::string derived_uid(std::string_view seed) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  const std::string input = "podlet.io/uid\n" + std::string(seed);
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]);
  return out;
}

void apply_defaults(Pod& pod) {
  auto& meta = pod.metadata;
  if (meta.namespace_.empty()) meta.namespace_ = "default";
  if (meta.name.empty() && !meta.generate_name.empty()) {
    meta.name =
        meta.generate_name + generated_suffix(pod.source.file + "\n" + std::to_string(pod.source.document));
  }
  if (meta.uid.empty()) meta.uid = derived_uid(pod.source.kind + "/" + meta.namespace_ + "/" + meta.name);
  auto& spec = pod.spec;
  if (spec.restart_policy.empty()) spec.restart_policy = "Always";
  if (spec.dns_policy.empty()) spec.dns_policy = "ClusterFirst";
  if (spec.scheduler_name.empty()) spec.scheduler_name = "default-scheduler";
  if (!spec.enable_service_links) spec.enable_service_links = true;
  for (auto& c : spec.init_containers) default_container(c, spec.host_network);
  for (auto& c : spec.containers) default_container(c, spec.host_network);
  for (auto& v : spec.volumes) default_volume(v);
}

}  // namespace podlet::manifest
