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
  for (const auto& c : containers) out.push_back(&c.unit);
  return out;
}

std::vector<std::string> PodPlan::unit_names() const {
  std::vector<std::string> names;
  for (const auto* u : units()) names.push_back(u->name);
  return names;
}

namespace {

using json_fields::Field;

constexpr auto kContainerPlanFields = std::tuple{Field{"name", &ContainerPlan::name},
                                                 Field{"image", &ContainerPlan::image},
                                                 Field{"init", &ContainerPlan::init},
                                                 Field{"sidecar", &ContainerPlan::sidecar},
                                                 Field{"spec_path", &ContainerPlan::spec_path},
                                                 Field{"spec", &ContainerPlan::spec},
                                                 Field{"unit", &ContainerPlan::unit}};

constexpr auto kPodPlanFields = std::tuple{Field{"namespace", &PodPlan::ns},
                                           Field{"name", &PodPlan::name},
                                           Field{"uid", &PodPlan::uid},
                                           Field{"pod_id", &PodPlan::pod_id},
                                           Field{"state_dir", &PodPlan::state_dir},
                                           Field{"spec_dir", &PodPlan::spec_dir},
                                           Field{"restart_policy", &PodPlan::restart_policy},
                                           Field{"labels", &PodPlan::labels},
                                           Field{"annotations", &PodPlan::annotations},
                                           Field{"needs_pod_ip", &PodPlan::needs_pod_ip},
                                           Field{"slice", &PodPlan::slice},
                                           Field{"infra_spec_path", &PodPlan::infra_spec_path},
                                           Field{"infra", &PodPlan::infra},
                                           Field{"infra_unit", &PodPlan::infra_unit},
                                           Field{"containers", &PodPlan::containers}};

}  // namespace

void to_json(nlohmann::json& j, const ContainerPlan& v) {
  json_fields::write(j, v, kContainerPlanFields);
}
void from_json(const nlohmann::json& j, ContainerPlan& v) {
  json_fields::read(j, v, kContainerPlanFields);
}
void to_json(nlohmann::json& j, const PodPlan& v) {
  json_fields::write(j, v, kPodPlanFields);
}
void from_json(const nlohmann::json& j, PodPlan& v) {
  json_fields::read(j, v, kPodPlanFields);
}

}  // namespace podlet::plan
