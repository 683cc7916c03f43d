// podlet inspect POD: the plan, the unit names and the live state, as JSON.
#include <iostream>

#include <fmt/core.h>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/pod_address.h"
#include "cli/pod_ref.h"
#include "cli/pod_state.h"
#include "cli/pod_status.h"

namespace podlet::cli {

void register_inspect(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("inspect", "show a pod's plan, units and live state as JSON");
  static std::vector<std::string> pods;
  static std::string ns;
  cmd->add_option("pods", pods, "pod NAME or NAMESPACE/NAME")->required();
  cmd->add_option("-n,--namespace", ns, "namespace of pods given by NAME")->default_str("default");
  cmd->callback([&global] {
    auto paths = global.paths();
    PodState state(paths);
    // Every pod is looked up before systemd is asked: a missing pod is reported as such.
    std::vector<plan::PodPlan> plans;
    for (const auto& arg : pods) {
      auto ref = parse_pod_ref(arg, ns);
      auto plan = state.read(plan::pod_id(ref.ns, ref.name));
      if (!plan) fail("pod {} not found", ref.key());
      plans.push_back(std::move(*plan));
    }
    systemd::Manager units;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : plans) {
      auto st = pod_status(p, units, pod_address(p, paths));
      nlohmann::json unit_states = nlohmann::json::object();
      for (const auto& name : p.unit_names()) {
        auto s = units.status(name);
        unit_states[name] = s ? nlohmann::json{{"active_state", s->active_state},
                                               {"sub_state", s->sub_state},
                                               {"result", s->result},
                                               {"main_pid", s->main_pid},
                                               {"n_restarts", s->n_restarts},
                                               {"control_group", s->control_group}}
                              : nlohmann::json(nullptr);
      }
      out.push_back({{"pod", kubernetes_pod(p, st)}, {"units", unit_states}, {"plan", p}});
    }
    std::cout << out.dump(2) << "\n";
  });
}

}  // namespace podlet::cli
