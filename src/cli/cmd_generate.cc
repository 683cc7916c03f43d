// podlet generate systemd FILE [--output-dir DIR]: unit files for the pods of a
// manifest, from the same plan `play` runs as transient units.
//
// Pods must survive reboots, and /run does not: the specs the units read are
// written under <root>/pods/<ns>_<name>/specs (persistent), while the runtime
// state dir under <runroot> is recreated by the infra at every start. Starting the
// infra unit starts the whole pod and `systemctl enable` of the infra unit starts it
// at boot: the planner wires the units for that (UnitSpec::file_*, wanted_by).
// Generated pods are managed with systemctl, not with `podlet down`. Env from
// status.podIP cannot be known in advance: it stays empty.
#include <sys/stat.h>

#include <iostream>

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fs_tree.h"
#include "cli/commands.h"
#include "cli/host_facts.h"
#include "cli/manifest_input.h"
#include "cli/pod_images.h"
#include "cli/pod_state.h"
#include "image/store.h"
#include "plan/planner.h"
#include "systemd/unit_file.h"

namespace podlet::cli {

namespace {

void write_unit(const std::string& dir, const plan::UnitSpec& unit, std::ostream& out) {
  std::string path = dir + "/" + unit.name;
  write_file_atomic(path, systemd::render_unit_file(unit), 0644);
  out << path << "\n";
}

}  // namespace

void register_generate(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("generate", "generate files from a manifest");
  cmd->require_subcommand(1);
  auto* sd =
      cmd->add_subcommand("systemd", "unit files for the pods of a manifest (pods that survive reboots)");
  static std::string file, output_dir = ".";
  sd->add_option("file", file, "manifest file, or - for stdin")->required();
  sd->add_option("--output-dir", output_dir, "where to write the unit files (default: .)");
  sd->callback([&global] {
    auto paths = global.paths();
    auto manifest = read_manifest(file, std::cerr);
    if (manifest.pods.empty()) fail("{}: no pods", file);
    require_runtime_binary();
    image::Store store(paths.image_store());
    auto options = host_plan_options(paths);
    std::vector<plan::PodPlan> plans;
    for (const auto& pod : manifest.pods) {
      auto o = options;
      o.spec_dir = paths.pod_unit_specs(plan::pod_id(pod.metadata.namespace_, pod.metadata.name));
      plans.push_back(plan::plan_pod(pod, manifest, resolve_images(pod, store), o));
      if (plans.back().needs_pod_ip)
        spdlog::warn("pod {}: env from status.podIP stays empty in generated units", pod.key());
    }
    PodState state(paths);
    for (const auto& p : plans) {
      // Specs (0600: they may carry Secret values) and the plan, for reference.
      make_dirs(p.spec_dir, 0700);
      if (::chmod(p.spec_dir.c_str(), 0700) < 0) throw system_error("chmod " + p.spec_dir);
      state.write_container_specs(p);
      write_file_atomic(p.infra_spec_path, nlohmann::json(p.infra).dump(2) + "\n", 0600);
      write_file_atomic(p.spec_dir + "/" + plan::kPodPlanFile, nlohmann::json(p).dump(2) + "\n", 0600);
      for (const auto* unit : p.units()) write_unit(output_dir, *unit, std::cout);
    }
  });
}

}  // namespace podlet::cli
