// Every manifest under tests/corpus has a sibling .expect file listing the exact
// diagnostics podlet must report for it ("line:col: path: message", one a line, in
// order), or "ok" when it must load cleanly.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "manifest/model.h"

namespace podlet::manifest {
namespace {

namespace fs = std::filesystem;

fs::path corpus_dir() {
  return fs::path(PODLET_SOURCE_DIR) / "tests" / "corpus";
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(corpus_dir())) {
    if (entry.path().extension() == ".yaml") out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> expected_lines(const fs::path& p) {
  std::vector<std::string> out;
  std::istringstream in(slurp(p));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line == "ok") continue;
    out.push_back(line);
  }
  return out;
}

class Corpus : public ::testing::TestWithParam<std::string> {};

TEST_P(Corpus, MatchesExpectedDiagnostics) {
  const std::string name = GetParam();
  const fs::path yaml = corpus_dir() / name;
  const fs::path expect = fs::path(yaml).replace_extension(".expect");
  ASSERT_TRUE(fs::exists(expect)) << expect << " is missing";
  const Manifest m = load_manifest(slurp(yaml), name);
  std::vector<std::string> got;
  for (const auto& d : m.diagnostics) {
    std::string line = format(d);
    ASSERT_EQ(line.rfind(name + ":", 0), 0u) << line;
    got.push_back(line.substr(name.size() + 1));
  }
  EXPECT_EQ(got, expected_lines(expect));
  // ok() holds exactly when every diagnostic is a warning.
  EXPECT_EQ(m.ok(), std::all_of(got.begin(), got.end(), [](const std::string& l) {
              return l.find(": warning: ") != std::string::npos;
            }));
}

INSTANTIATE_TEST_SUITE_P(Manifests, Corpus, ::testing::ValuesIn(corpus_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param.substr(0, info.param.size() - 5);
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return "f" + n;
                         });

TEST(CorpusSize, HasAtLeastFortyManifests) {
  EXPECT_GE(corpus_files().size(), 40u);
}

TEST(ExampleManifests, ValidateCleanly) {
  const fs::path dir = fs::path(PODLET_SOURCE_DIR) / "manifests";
  int count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    const Manifest m = load_manifest(slurp(entry.path()), entry.path().filename().string());
    EXPECT_TRUE(m.diagnostics.empty())
        << entry.path() << ": " << (m.diagnostics.empty() ? "" : format(m.diagnostics[0]));
    EXPECT_FALSE(m.pods.empty()) << entry.path();
  }
  EXPECT_GE(count, 3);
}

}  // namespace
}  // namespace podlet::manifest
