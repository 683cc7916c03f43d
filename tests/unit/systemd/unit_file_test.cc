// Golden files of hand-written unit specs, for what no manifest produces (odd
// quoting): golden/<case>.test holds `## assert-...` lines (unit_file_assertions.h)
// followed by a UnitSpec as JSON; golden/<case>.expected is the unit file it renders
// to. The units of real manifests are in unit_golden_test.cc. Regenerate the
// .expected files with PODLET_UPDATE_GOLDEN=1 (then review the diff).
#include "systemd/unit_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "unit_file_assertions.h"

namespace podlet::systemd {
namespace {

namespace fs = std::filesystem;
using testing::check_assertion;
using testing::parse_unit_file;
using testing::Sections;

const fs::path kGoldenDir = fs::path(PODLET_SOURCE_DIR) / "tests/unit/systemd/golden";

std::vector<std::string> golden_cases() {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(kGoldenDir)) {
    if (entry.path().extension() == ".test") cases.push_back(entry.path().stem());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, RendersAsExpected) {
  std::string input = read_file(kGoldenDir / (GetParam() + ".test"));
  std::vector<std::string> assertions;
  std::string json;
  std::istringstream in(input);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("##")) {
      assertions.push_back(line);
    } else {
      json += line + "\n";
    }
  }
  ASSERT_FALSE(assertions.empty()) << "a golden case carries its own assertions";
  auto spec = nlohmann::json::parse(json).get<plan::UnitSpec>();
  std::string rendered = render_unit_file(spec);

  Sections sections = parse_unit_file(rendered);
  for (const auto& a : assertions) check_assertion(a, sections);

  fs::path expected_path = kGoldenDir / (GetParam() + ".expected");
  if (getenv("PODLET_UPDATE_GOLDEN")) write_file_atomic(expected_path, rendered);
  EXPECT_EQ(rendered, read_file(expected_path));
}

INSTANTIATE_TEST_SUITE_P(UnitFile, Golden, ::testing::ValuesIn(golden_cases()),
                         [](const auto& info) { return info.param; });

TEST(UnitFile, SameSpecSameText) {
  plan::UnitSpec s;
  s.name = "a.service";
  s.exec_start = {"/bin/sleep", "1"};
  s.log_extra_fields = {{"B", "2"}, {"A", "1"}};
  EXPECT_EQ(render_unit_file(s), render_unit_file(s));
}

TEST(QuoteWord, LeavesPlainWordsAlone) {
  EXPECT_EQ(quote_word("/usr/bin/podlet"), "/usr/bin/podlet");
  EXPECT_EQ(quote_word("KEY=value,x:y@z+1"), "KEY=value,x:y@z+1");
}

TEST(QuoteWord, QuotesAndEscapes) {
  EXPECT_EQ(quote_word(""), "\"\"");
  EXPECT_EQ(quote_word("a b"), "\"a b\"");
  EXPECT_EQ(quote_word("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(quote_word("back\\slash"), "\"back\\\\slash\"");
  EXPECT_EQ(quote_word("two\nlines\t"), "\"two\\nlines\\t\"");
  EXPECT_EQ(quote_word(";"), "\";\"");
  EXPECT_EQ(quote_word("\x01"), "\"\\x01\"");
}

TEST(QuoteWord, DoublesSpecifierPercent) {
  EXPECT_EQ(quote_word("100%"), "100%%");
  EXPECT_EQ(quote_word("%n and %i"), "\"%%n and %%i\"");
}

TEST(Timespan, IsExact) {
  EXPECT_EQ(format_timespan_usec(0), "0");
  EXPECT_EQ(format_timespan_usec(30'000'000), "30s");
  EXPECT_EQ(format_timespan_usec(1'500'000), "1500ms");
  EXPECT_EQ(format_timespan_usec(100'000), "100ms");
  EXPECT_EQ(format_timespan_usec(7), "7us");
  EXPECT_EQ(format_timespan_usec(1'000'001), "1000001us");
}

}  // namespace
}  // namespace podlet::systemd
