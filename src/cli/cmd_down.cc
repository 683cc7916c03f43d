// podlet down FILE|POD... [-n NS] [--grace-period N] [--force]: stop and remove pods.
#include <iostream>

#include <fmt/core.h>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/manifest_input.h"
#include "cli/pod_down.h"
#include "cli/pod_ref.h"
#include "cli/pod_state.h"

namespace podlet::cli {

namespace {

// Pods named by the arguments: every pod of a manifest, or NAME / NS/NAME.
std::vector<PodRef> targets(const std::vector<std::string>& args, const std::string& ns) {
  std::vector<PodRef> refs;
  for (const auto& a : args) {
    if (is_manifest_path(a)) {
      for (const auto& pod : read_manifest(a, std::cerr).pods)
        refs.push_back({pod.metadata.namespace_, pod.metadata.name});
    } else {
      refs.push_back(parse_pod_ref(a, ns));
    }
  }
  return refs;
}

}  // namespace

void register_down(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("down", "stop and remove pods (by manifest or by name); idempotent");
  static std::vector<std::string> args;
  static std::string ns;
  static int64_t grace = -1;
  static bool force = false;
  cmd->add_option("pods", args, "manifest FILE (or -), or pod NAME / NAMESPACE/NAME")->required();
  cmd->add_option("-n,--namespace", ns, "namespace of pods given by NAME")->default_str("default");
  cmd->add_option("--grace-period", grace, "seconds to wait before SIGKILL (default: the pod's own)");
  cmd->add_flag("--force", force, "kill at once (SIGKILL), as kubectl delete --force --grace-period=0");
  cmd->callback([&global] {
    PodState state(global.paths());
    systemd::Manager units;
    StopOptions options;
    if (grace >= 0) options.grace_seconds = grace;
    options.force = force || grace == 0;
    int failures = 0;
    for (const auto& ref : targets(args, ns)) {
      try {
        auto lock = state.lock(plan::pod_id(ref.ns, ref.name));
        if (down_pod(units, state, ref.ns, ref.name, options)) {
          std::cout << fmt::format("pod {} removed\n", ref.key());
        } else {
          std::cerr << fmt::format("pod {}: not found (nothing to do)\n", ref.key());
        }
      } catch (const Error& e) {
        std::cerr << fmt::format("podlet: error: pod {}: {}\n", ref.key(), e.what());
        ++failures;
      }
    }
    if (failures) throw ExitRequest{kExitError};
  });
}

}  // namespace podlet::cli
