// load_manifests: size and encoding checks, bounded YAML parse, strict decoding of
// every document, then defaulting and validation with cross-object references.
#include <algorithm>
#include <set>

#include "manifest/defaults.h"
#include "manifest/documents.h"
#include "manifest/model.h"
#include "manifest/validate.h"
#include "manifest/yaml_tree.h"

namespace podlet::manifest {
namespace {

Diagnostic file_error(const std::string& file, int line, int column, std::string message) {
  return Diagnostic{Diagnostic::kError, file, line, column, "", std::move(message)};
}

// Refuses what must not reach the YAML parser: oversized or non-UTF-8 input.
bool check_input(const Input& in, const LoadLimits& limits, std::vector<Diagnostic>& out) {
  if (in.text.size() > limits.max_bytes) {
    out.push_back(file_error(in.filename, 0, 0,
                             "input is too large (" + std::to_string(in.text.size()) +
                                 " bytes; the limit is " + std::to_string(limits.max_bytes) + ")"));
    return false;
  }
  if (auto bad = yaml::find_invalid_utf8(in.text)) {
    const std::string_view before = std::string_view(in.text).substr(0, *bad);
    const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    const size_t line_start = before.rfind('\n');
    const int column =
        static_cast<int>(*bad - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
    out.push_back(file_error(in.filename, line, column, "input is not valid UTF-8"));
    return false;
  }
  return true;
}

struct DecodedPod {
  size_t index;  // in Manifest::pods
  bool clean;    // decoded without errors: worth validating
};

}  // namespace

Manifest load_manifests(const std::vector<Input>& inputs, const LoadLimits& limits) {
  Manifest m;
  std::vector<DecodedPod> decoded;
  for (const auto& in : inputs) {
    if (!check_input(in, limits, m.diagnostics)) continue;
    yaml::Stream stream = yaml::parse(in.text, {limits.max_depth, limits.max_nodes, limits.max_documents});
    for (size_t d = 0; d < stream.documents.size(); ++d) {
      const auto& doc = stream.documents[d];
      const size_t diagnostics_before = m.diagnostics.size();
      const size_t pods_before = m.pods.size();
      detail::DocContext ctx(in.filename, static_cast<int>(d), doc.line, m.diagnostics);
      detail::decode_document(ctx, doc.root, "", m);
      const bool clean = std::none_of(m.diagnostics.begin() + static_cast<std::ptrdiff_t>(diagnostics_before),
                                      m.diagnostics.end(), [](const Diagnostic& x) { return x.is_error(); });
      for (size_t i = pods_before; i < m.pods.size(); ++i) decoded.push_back({i, clean});
    }
    for (const auto& e : stream.errors) {
      m.diagnostics.push_back(
          Diagnostic{Diagnostic::kError, in.filename, e.line, e.column, e.path, e.message});
    }
  }
  for (const auto& [key, cm] : m.config_maps) validate_config_map(cm, m.diagnostics);
  for (const auto& [key, s] : m.secrets) validate_secret(s, m.diagnostics);
  for (const auto& [key, pvc] : m.pvcs) validate_pvc(pvc, m.diagnostics);
  std::set<std::string> pod_keys;
  for (const auto& [index, clean] : decoded) {
    Pod& pod = m.pods[index];
    apply_defaults(pod);
    if (clean) validate_pod(pod, m, m.diagnostics);
    if (!pod.metadata.name.empty() && !pod_keys.insert(pod.key()).second) {
      m.diagnostics.push_back(pod.source.diagnostic(Diagnostic::kError, pod.source.pod_meta_path + ".name",
                                                    "pod " + pod.key() + " is defined more than once"));
    }
  }
  // Report in input order: by file (as given), then by position.
  std::vector<std::string> order;
  for (const auto& in : inputs) order.push_back(in.filename);
  auto rank = [&](const Diagnostic& d) {
    return static_cast<size_t>(std::find(order.begin(), order.end(), d.file) - order.begin());
  };
  std::stable_sort(m.diagnostics.begin(), m.diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
  return m;
}

Manifest load_manifest(std::string_view text, const std::string& filename) {
  return load_manifests({Input{filename, std::string(text)}});
}

}  // namespace podlet::manifest
