// Golden files: golden/<case>.test holds `## assert-...` lines (Quadlet style) followed by a
// UnitSpec as JSON; golden/<case>.expected is the complete unit file it renders to.
// Regenerate the .expected files with PODLET_UPDATE_GOLDEN=1 (then review the diff).
//
//   ## assert-key-is SECTION KEY VALUE...     the values of every KEY= line, in order
//   ## assert-key-contains SECTION KEY TEXT   some KEY= line contains TEXT
//   ## assert-key-missing SECTION KEY         no KEY= line
//   ## assert-section-missing SECTION         no [SECTION]
// Arguments split on spaces; "double quotes" group, with \" and \\ inside.
#include "systemd/unit_file.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/atomic_file.h"
#include "base/error.h"

namespace podlet::systemd {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(PODLET_SOURCE_DIR) / "tests/unit/systemd/golden";

using Sections = std::map<std::string, std::multimap<std::string, std::string>>;

Sections parse_unit_file(const std::string& text) {
  Sections sections;
  std::istringstream in(text);
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with('#')) continue;
    if (line.starts_with('[')) {
      current = line.substr(1, line.size() - 2);
      sections[current];
      continue;
    }
    auto eq = line.find('=');
    EXPECT_NE(eq, std::string::npos) << "not KEY=VALUE: " << line;
    sections[current].emplace(line.substr(0, eq), line.substr(eq + 1));
  }
  return sections;
}

std::vector<std::string> split_args(const std::string& s) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false, quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '\\' && i + 1 < s.size()) {
        word += s[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        word += c;
      }
    } else if (c == '"') {
      quoted = in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(word);
  return out;
}

std::vector<std::string> values_of(const Sections& sections, const std::string& section,
                                   const std::string& key) {
  std::vector<std::string> out;
  auto it = sections.find(section);
  if (it == sections.end()) return out;
  auto [begin, end] = it->second.equal_range(key);
  for (auto v = begin; v != end; ++v) out.push_back(v->second);
  return out;
}

void check_assertion(const std::string& line, const Sections& sections) {
  SCOPED_TRACE(line);
  auto args = split_args(line.substr(2));
  ASSERT_FALSE(args.empty());
  const std::string& op = args[0];
  if (op == "assert-section-missing") {
    ASSERT_EQ(args.size(), 2u);
    EXPECT_FALSE(sections.contains(args[1]));
    return;
  }
  ASSERT_GE(args.size(), 3u);
  auto values = values_of(sections, args[1], args[2]);
  if (op == "assert-key-is") {
    EXPECT_EQ(values, std::vector<std::string>(args.begin() + 3, args.end()));
  } else if (op == "assert-key-missing") {
    EXPECT_TRUE(values.empty());
  } else if (op == "assert-key-contains") {
    ASSERT_EQ(args.size(), 4u);
    EXPECT_THAT(values, ::testing::Contains(::testing::HasSubstr(args[3])));
  } else {
    ADD_FAILURE() << "unknown assertion " << op;
  }
}

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
