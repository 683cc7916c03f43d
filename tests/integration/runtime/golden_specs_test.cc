// Every container spec the plan golden tests produce, run as the planner wrote it
// (its images the test image, its stores in the sandbox, no pod network), with the
// probe's check-spec in place of its command: what each container sees must be what
// its spec says (runtime/ applies the spec, and nothing but the spec).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../../unit/plan/planner_test_support.h"
#include "manifest/model.h"
#include "plan/planner.h"
#include "runtime_test.h"
#include "spec_check.h"

namespace podlet::test {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The golden images, their layers replaced by the test image.
std::map<std::string, plan::ImageData> test_images(const std::string& image_dir) {
  auto images = plan::testing::golden_images();
  for (auto& [name, data] : images) data.layer_dirs = {image_dir};
  return images;
}

std::vector<plan::PodPlan> plan_golden(const Sandbox& sandbox, const std::filesystem::path& file,
                                       const std::string& image_dir) {
  auto manifest = manifest::load_manifest(slurp(file), file.filename().string());
  if (!manifest.ok()) throw std::runtime_error(file.string() + ": the manifest has errors");
  plan::PlanOptions options = plan::testing::options();
  options.paths = test_paths(sandbox);
  options.podlet_binary = PODLET_BINARY;
  options.network.enabled = false;
  std::vector<plan::PodPlan> plans;
  for (const auto& pod : manifest.pods) {
    plans.push_back(plan::plan_pod(pod, manifest, test_images(image_dir), options));
    plans.back().infra.network.enabled = false;  // lo only: nothing attached on the host
  }
  return plans;
}

class GoldenSpecsTest : public RuntimeTest {};

TEST_F(GoldenSpecsTest, EveryContainerSeesItsSpec) {
  auto cases = plan::testing::golden_cases();
  ASSERT_GE(cases.size(), 8u);
  size_t containers = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.manifest.string());
    for (const auto& planned : plan_golden(sandbox, c.manifest, image)) {
      Pod pod(sandbox, planned.infra, image);
      pod.start();
      for (const auto& container : planned.containers) {
        ++containers;
        for (const auto& difference : spec_differences(pod, container.spec))
          ADD_FAILURE() << planned.qualified_name() << ": " << difference;
      }
    }
  }
  EXPECT_GE(containers, 15u) << "the golden manifests hold fewer containers than expected";
}

}  // namespace
}  // namespace podlet::test
