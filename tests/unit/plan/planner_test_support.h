// Builders for planner tests: pods written in C++ with the defaults the manifest
// layer applies, a fixed image and fixed options, so plans are deterministic.
#pragma once

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "manifest/model.h"
#include "plan/planner.h"

namespace podlet::plan::testing {

inline manifest::Container container(const std::string& name,
                                     const std::string& image = "localhost/busybox:latest") {
  manifest::Container c;
  c.name = name;
  c.image = image;
  c.image_pull_policy = "IfNotPresent";
  return c;
}

inline manifest::Pod pod(const std::string& ns, const std::string& name) {
  manifest::Pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = ns;
  p.metadata.uid = "0f4a2e6c-1111-4222-8333-444455556666";
  p.source.file = "pod.yaml";
  p.source.pod_spec_path = "spec";
  p.source.pod_meta_path = "metadata";
  p.spec.containers.push_back(container("app"));
  return p;
}

inline ImageData busybox() {
  ImageData d;
  d.id = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  d.layer_dirs = {"/var/lib/podlet/storage/layers/aaaa/diff"};
  d.cmd = {"sh"};
  d.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  return d;
}

inline std::map<std::string, ImageData> images() {
  return {{"localhost/busybox:latest", busybox()}};
}

inline PlanOptions options() {
  PlanOptions o;
  o.paths.root = "/var/lib/podlet";
  o.paths.runroot = "/run/podlet";
  o.podlet_binary = "/usr/bin/podlet";
  o.node_name = "node1";
  o.host_ip = "192.0.2.10";
  o.node_cpu_millis = 2000;
  o.node_memory_bytes = 4LL << 30;
  return o;
}

// The images the golden manifests use: busybox (no entrypoint) and an app image with
// an entrypoint, a working dir, a user and env, so merging with them shows in the plans.
inline std::map<std::string, ImageData> golden_images() {
  auto all = images();
  ImageData app;
  app.id = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
  app.layer_dirs = {"/var/lib/podlet/storage/layers/cccc/diff", "/var/lib/podlet/storage/layers/bbbb/diff"};
  app.entrypoint = {"/app/server"};
  app.cmd = {"--port", "8080"};
  app.env = {"PATH=/usr/local/bin:/usr/bin:/bin", "APP_MODE=production"};
  app.working_dir = "/app";
  app.user = "1000:1000";
  all["registry.example/team/app:1.4"] = app;
  return all;
}

// The golden manifests: tests/unit/plan/golden/*.yaml and the examples in manifests/,
// each with the golden file of its plan, sorted by manifest path.
struct GoldenCase {
  std::filesystem::path manifest;
  std::filesystem::path expected;
};

inline std::filesystem::path golden_dir() {
  return std::filesystem::path(PODLET_SOURCE_DIR) / "tests/unit/plan/golden";
}

inline std::vector<GoldenCase> golden_cases() {
  namespace fs = std::filesystem;
  std::vector<GoldenCase> out;
  for (const auto& e : fs::directory_iterator(golden_dir()))
    if (e.path().extension() == ".yaml")
      out.push_back({e.path(), fs::path(e.path()).replace_extension(".json")});
  for (const auto& e : fs::directory_iterator(fs::path(PODLET_SOURCE_DIR) / "manifests"))
    if (e.path().extension() == ".yaml")
      out.push_back({e.path(), golden_dir() / ("manifests-" + e.path().stem().string() + ".json")});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.manifest < b.manifest; });
  return out;
}

// The plans `podlet play --dry-run` makes of a manifest, with the golden images and
// options; a manifest with errors throws. With `for_unit_files`, the plans
// `podlet generate systemd` makes (specs in the pod's persistent data dir).
inline std::vector<PodPlan> plan_manifest(const std::string& text, const std::string& filename,
                                          bool for_unit_files = false) {
  manifest::Manifest m = manifest::load_manifest(text, filename);
  for (const auto& d : m.diagnostics)
    if (d.is_error()) throw Error(filename + ": " + manifest::format(d));
  std::vector<PodPlan> plans;
  auto all_images = golden_images();
  for (const auto& p : m.pods) {
    PlanOptions o = options();
    if (for_unit_files) o.spec_dir = o.paths.pod_unit_specs(pod_id(p.metadata.namespace_, p.metadata.name));
    plans.push_back(plan_pod(p, m, all_images, o));
  }
  return plans;
}

}  // namespace podlet::plan::testing
