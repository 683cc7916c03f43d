// Golden unit files of real manifests: each manifest of the plan goldens
// (tests/unit/plan/golden/*.yaml and manifests/*.yaml) is planned as play plans it,
// and every unit of every pod is rendered as `podlet generate systemd` writes it. The
// files must equal golden/units/<case>/<unit name> byte for byte, where <case> is the
// name of the manifest's plan golden. A file <unit name>.assert next to a unit holds
// Quadlet-style `## assert-...` lines (unit_file_assertions.h) that say what matters
// in it, so a regenerated golden cannot silently lose it. After an intended change,
// regenerate with PODLET_UPDATE_GOLDEN=1 (stale unit files are removed) and review.
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "../plan/planner_test_support.h"
#include "base/atomic_file.h"
#include "systemd/unit_file.h"
#include "unit_file_assertions.h"

namespace podlet::systemd {
namespace {

namespace fs = std::filesystem;

const fs::path kUnitsDir = fs::path(PODLET_SOURCE_DIR) / "tests/unit/systemd/golden/units";

// Unit name -> unit file, for every pod of the manifest.
std::map<std::string, std::string> render_units(const fs::path& manifest) {
  std::map<std::string, std::string> out;
  for (const auto& pod :
       plan::testing::plan_manifest(read_file(manifest), manifest.filename().string(), true))
    for (const auto* unit : pod.units()) {
      EXPECT_FALSE(out.contains(unit->name)) << "two pods plan unit " << unit->name;
      out[unit->name] = render_unit_file(*unit);
    }
  return out;
}

void check_assertions(const fs::path& file, const std::string& rendered) {
  SCOPED_TRACE(file.string());
  testing::Sections sections = testing::parse_unit_file(rendered);
  std::istringstream in(read_file(file));
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ASSERT_TRUE(line.starts_with("## ")) << "not an assertion: " << line;
    testing::check_assertion(line, sections);
    ++count;
  }
  EXPECT_GT(count, 0) << "an .assert file without assertions";
}

TEST(UnitGolden, EveryManifestRendersItsUnitsAsRecorded) {
  const bool update = std::getenv("PODLET_UPDATE_GOLDEN") != nullptr;
  auto cases = plan::testing::golden_cases();
  ASSERT_GE(cases.size(), 8u);
  int assert_files = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.manifest.string());
    const fs::path dir = kUnitsDir / c.expected.stem();
    auto units = render_units(c.manifest);
    ASSERT_FALSE(units.empty());
    if (update) {
      fs::create_directories(dir);
      for (const auto& [name, text] : units) write_file_atomic(dir / name, text, 0644);
    }
    std::set<fs::path> seen;
    for (const auto& [name, text] : units) {
      SCOPED_TRACE(name);
      ASSERT_TRUE(fs::exists(dir / name)) << dir / name << " missing: run with PODLET_UPDATE_GOLDEN=1";
      EXPECT_EQ(text, read_file(dir / name));
      seen.insert(dir / name);
      if (fs::path a = dir / (name + ".assert"); fs::exists(a)) {
        check_assertions(a, text);
        seen.insert(a);
        ++assert_files;
      }
    }
    for (const auto& e : fs::directory_iterator(dir)) {
      if (seen.contains(e.path())) continue;
      if (update && e.path().extension() != ".assert") {
        fs::remove(e.path());
        continue;
      }
      ADD_FAILURE() << e.path() << " is no unit of " << c.manifest.filename();
    }
  }
  // The container service, init oneshot, sidecar, slice and infra units each carry
  // their facts (see the .assert files).
  EXPECT_GE(assert_files, 6);
}

}  // namespace
}  // namespace podlet::systemd
