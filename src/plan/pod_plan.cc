#include "plan/pod_plan.h"

#include "plan/json_fields.h"

namespace podlet::plan {

const ContainerPlan* PodPlan::find_container(const std::string& container_name) const {
  for (const auto& c : containers)
    if (c.name == container_name) return &c;
  return nullptr;
}

std::vector<const UnitSpec*> PodPlan::units() const {
  std::vector<const UnitSpec*> out{&slice, &infra_unit};
  for (const auto& c : containers) {
    out.push_back(&c.unit);
    for (const auto& p : c.probes) {
      out.push_back(&p.timer);
      out.push_back(&p.service);
    }
  }
  return out;
}

std::vector<std::string> PodPlan::unit_names() const {
  std::vector<std::string> names;
  for (const auto* u : units()) names.push_back(u->name);
  return names;
}

PODLET_JSON_FIELDS(ContainerPlan, name, image, init, sidecar, spec_path, spec, unit, probes, hooks)

namespace {
PODLET_JSON_MEMBERS(PodPlan, write_pod, read_pod, name, uid, pod_id, state_dir, spec_dir, restart_policy,
                    labels, annotations, needs_pod_ip, slice, infra_spec_path, infra, infra_unit, containers)
}  // namespace

// "namespace" is a keyword, so the member has another name.
void to_json(nlohmann::json& j, const PodPlan& v) {
  write_pod(j, v);
  json_fields::put(j, "namespace", v.ns);
}
void from_json(const nlohmann::json& j, PodPlan& v) {
  v = PodPlan{};
  read_pod(j, v);
  json_fields::get(j, "namespace", v.ns);
}

}  // namespace podlet::plan
