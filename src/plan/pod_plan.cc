#include "plan/pod_plan.h"

namespace podlet::plan {

const ContainerPlan* PodPlan::find_container(const std::string& container_name) const {
  for (const auto& c : containers)
    if (c.name == container_name) return &c;
  return nullptr;
}

std::vector<const UnitSpec*> PodPlan::units() const {
  std::vector<const UnitSpec*> out{&slice, &infra_unit};
  for (const auto& c : containers) out.push_back(&c.unit);
  return out;
}

std::vector<std::string> PodPlan::unit_names() const {
  std::vector<std::string> names;
  for (const auto* u : units()) names.push_back(u->name);
  return names;
}

void to_json(nlohmann::json& j, const ContainerPlan& v) {
  j = {{"name", v.name},           {"image", v.image}, {"init", v.init}, {"sidecar", v.sidecar},
       {"spec_path", v.spec_path}, {"spec", v.spec},   {"unit", v.unit}};
}

void from_json(const nlohmann::json& j, ContainerPlan& v) {
  v = ContainerPlan{};
  v.name = j.value("name", "");
  v.image = j.value("image", "");
  v.init = j.value("init", false);
  v.sidecar = j.value("sidecar", false);
  v.spec_path = j.value("spec_path", "");
  if (auto it = j.find("spec"); it != j.end()) v.spec = it->get<ContainerSpec>();
  if (auto it = j.find("unit"); it != j.end()) v.unit = it->get<UnitSpec>();
}

void to_json(nlohmann::json& j, const PodPlan& v) {
  j = {{"namespace", v.ns},
       {"name", v.name},
       {"uid", v.uid},
       {"pod_id", v.pod_id},
       {"state_dir", v.state_dir},
       {"spec_dir", v.spec_dir},
       {"restart_policy", v.restart_policy},
       {"labels", v.labels},
       {"annotations", v.annotations},
       {"needs_pod_ip", v.needs_pod_ip},
       {"slice", v.slice},
       {"infra_spec_path", v.infra_spec_path},
       {"infra", v.infra},
       {"infra_unit", v.infra_unit},
       {"containers", v.containers}};
}

void from_json(const nlohmann::json& j, PodPlan& v) {
  v = PodPlan{};
  v.ns = j.value("namespace", "");
  v.name = j.value("name", "");
  v.uid = j.value("uid", "");
  v.pod_id = j.value("pod_id", "");
  v.state_dir = j.value("state_dir", "");
  v.spec_dir = j.value("spec_dir", "");
  v.restart_policy = j.value("restart_policy", "");
  v.labels = j.value("labels", v.labels);
  v.annotations = j.value("annotations", v.annotations);
  v.needs_pod_ip = j.value("needs_pod_ip", false);
  if (auto it = j.find("slice"); it != j.end()) v.slice = it->get<UnitSpec>();
  v.infra_spec_path = j.value("infra_spec_path", "");
  if (auto it = j.find("infra"); it != j.end()) v.infra = it->get<InfraSpec>();
  if (auto it = j.find("infra_unit"); it != j.end()) v.infra_unit = it->get<UnitSpec>();
  v.containers = j.value("containers", v.containers);
}

}  // namespace podlet::plan
