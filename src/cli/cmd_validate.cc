// podlet validate FILE...: strict Kubernetes validation of manifests. Silent on
// success; errors and warnings as "file:line:col: path: message" on stderr, or all
// diagnostics as JSON on stdout with -o json. Exit 1 when there is any error.
#include <iostream>
#include <iterator>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"
#include "cli/commands.h"
#include "manifest/model.h"

namespace podlet::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  std::string output = "text";
};

void run_validate(const ValidateOptions& opts) {
  std::vector<manifest::Input> inputs;
  std::vector<manifest::Diagnostic> unreadable;
  for (const auto& file : opts.files) {
    if (file == "-") {
      inputs.push_back({"-", std::string(std::istreambuf_iterator<char>(std::cin), {})});
      continue;
    }
    try {
      inputs.push_back({file, read_file(file)});
    } catch (const Error& e) {
      unreadable.push_back({manifest::Diagnostic::kError, file, 0, 0, "", e.what()});
    }
  }
  manifest::Manifest m = manifest::load_manifests(inputs);
  m.diagnostics.insert(m.diagnostics.begin(), unreadable.begin(), unreadable.end());
  if (opts.output == "json") {
    nlohmann::json out{{"ok", !manifest::has_errors(m.diagnostics)}, {"diagnostics", to_json(m.diagnostics)}};
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& d : m.diagnostics) std::cerr << format(d) << "\n";
  }
  if (manifest::has_errors(m.diagnostics)) throw ExitRequest{kExitError};
}

}  // namespace

void register_validate(CLI::App& app, GlobalOptions& /*global*/) {
  auto opts = std::make_shared<ValidateOptions>();
  auto* cmd = app.add_subcommand("validate", "validate Kubernetes manifests as the API server would");
  cmd->add_option("files", opts->files, "manifest files, or - for stdin")->required();
  cmd->add_option("-o,--output", opts->output, "text (default) | json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([opts] { run_validate(*opts); });
}

}  // namespace podlet::cli
