// systemd unit names of a pod. They live in the plan layer because the planner
// emits them, and `down`, `ps` and `logs` find a pod's units from its
// namespace and name alone.
//
//   slice:      podlet-<ns>_<name>.slice          ('-' escaped as \x2d, as systemd-escape
//                                                   does, so "my-web" does not nest under "my")
//   infra:      podlet-<ns>_<name>-infra.service
//   container:  podlet-<ns>_<name>_<container>.service
//   probe:      podlet-<ns>_<name>_<container>_<kind>-probe.service and .timer of the
//               same stem (a timer starts the service of its own name)
//
// '_' cannot occur in Kubernetes namespace, pod or container names, so the first
// '_' ends the namespace and only container and probe units have a second one (a
// probe's third '_' ends its container): names stay unique across namespaces and
// never collide between infra, containers and probes.
// Service names keep '-' unescaped (no nesting for services) so users can type them.
// Names longer than systemd's 255-byte limit are shortened with a stable hash:
// the first bytes kept, then '_' and 16 hex digits of the whole name's hash.
// Nothing outside this file builds or takes apart a unit name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podlet::plan {

// systemd's unit-name escaping of one path-less string (systemd-escape STRING):
// [A-Za-z0-9:_.] kept (a leading '.' escaped), '/' -> '-', others -> \xHH.
std::string systemd_escape(std::string_view s);

// Which of a pod's units a unit name is (PodUnitNames::match).
struct PodUnit {
  enum class Kind { slice, infra, container, probe };
  Kind kind = Kind::slice;
  // A container or probe unit's container; of a shortened name, the start of it that was kept.
  std::string container;
  bool shortened = false;  // a name that was hashed to fit systemd's limit
  std::string probe;       // a probe unit's kind: liveness | readiness | startup
};

struct PodUnitNames {
  std::string slice;
  std::string infra;
  // Unit of one (init or app) container of this pod.
  std::string container(std::string_view container_name) const;
  // The service of one probe of a container (kind: liveness, readiness, startup); its
  // timer is probe_timer() of that name.
  std::string probe(std::string_view container_name, std::string_view kind) const;
  static std::string probe_timer(std::string_view probe_service);

  // Whether `unit` is one of this pod's units, and which, without knowing its containers.
  // A container unit starts with "podlet-<ns>_<name>_", which no other pod's unit does
  // (names hold no '_'), shortened names included. A shortened name cut inside the pod's
  // own name (namespace and name over ~220 bytes together) could be another pod's of the
  // same long prefix: it is not matched (find it from the plan's names); neither is a
  // shortened probe unit.
  std::optional<PodUnit> match(std::string_view unit) const;
  // Globs (fnmatch, as ListUnitsByPatterns takes them) that list every unit match() accepts.
  std::vector<std::string> unit_globs() const;

  std::string ns;
  std::string name;
};

PodUnitNames pod_unit_names(std::string_view ns, std::string_view name);

// Journal field values the units carry (LogExtraFields) so logs are found per
// pod and container without parsing unit names.
inline constexpr const char* kJournalFieldPod = "PODLET_POD";  // "<ns>/<name>"
inline constexpr const char* kJournalFieldNamespace = "PODLET_NAMESPACE";
inline constexpr const char* kJournalFieldPodName = "PODLET_POD_NAME";
inline constexpr const char* kJournalFieldContainer =
    "PODLET_CONTAINER";  // container name, "infra" for the infra

}  // namespace podlet::plan
