// podlet ps [-o json] [-n NS | -A]: pods and their containers, read from the state
// dir and systemd (no daemon).
#include <ctime>
#include <iostream>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/pod_address.h"
#include "cli/pod_state.h"
#include "cli/pod_status.h"

namespace podlet::cli {

namespace {

std::string age(uint64_t since_usec) {
  if (!since_usec) return "-";
  int64_t s = static_cast<int64_t>(std::time(nullptr)) - static_cast<int64_t>(since_usec / 1000000);
  if (s < 0) s = 0;
  if (s < 120) return fmt::format("{}s", s);
  if (s < 7200) return fmt::format("{}m", s / 60);
  if (s < 2 * 86400) return fmt::format("{}h", s / 3600);
  return fmt::format("{}d", s / 86400);
}

std::string container_state(const ContainerState& c) {
  if (c.state == "running") return c.reason.empty() ? "Running" : c.reason;
  if (c.state == "terminated") return fmt::format("{} ({})", c.reason, c.exit_code);
  return c.reason.empty() ? "Waiting" : c.reason;
}

}  // namespace

void register_ps(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("ps", "list pods and their containers");
  static std::string ns;
  cmd->add_option("-n,--namespace", ns, "only pods of this namespace (default: all)");
  cmd->add_option("-o,--output", global.output, "table|json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&global] {
    auto paths = global.paths();
    PodState state(paths);
    systemd::Manager units;
    nlohmann::json items = nlohmann::json::array();
    if (global.output != "json")
      std::cout << fmt::format("{:<16} {:<24} {:<7} {:<10} {:<9} {:<15} {}\n", "NAMESPACE", "NAME", "READY",
                               "STATUS", "RESTARTS", "IP", "AGE");
    for (const auto& plan : state.list()) {
      if (!ns.empty() && plan.ns != ns) continue;
      auto st = pod_status(plan, units, pod_address(plan, paths));
      if (global.output == "json") {
        items.push_back(kubernetes_pod(plan, st));
        continue;
      }
      std::cout << fmt::format("{:<16} {:<24} {:<7} {:<10} {:<9} {:<15} {}\n", plan.ns, plan.name,
                               fmt::format("{}/{}", st.ready_count(), st.app_count()), st.phase, st.restarts(),
                               st.pod_ip.empty() ? "-" : st.pod_ip, age(st.start_usec));
      for (const auto& c : st.containers)
        std::cout << fmt::format("  {:<38} {:<24} restarts {}\n", (c.init ? "init:" : "") + c.name,
                                 container_state(c), c.restart_count);
    }
    if (global.output == "json")
      std::cout << nlohmann::json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}}.dump(2) << "\n";
  });
}

}  // namespace podlet::cli
