// Quadlet-style assertions on a rendered unit file, one per `##` line:
//
//   ## assert-key-is SECTION KEY VALUE...     the values of every KEY= line, in order
//   ## assert-key-contains SECTION KEY TEXT   some KEY= line contains TEXT
//   ## assert-key-missing SECTION KEY         no KEY= line
//   ## assert-section-missing SECTION         no [SECTION]
// Arguments split on spaces; "double quotes" group, with \" and \\ inside.
#pragma once

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace podlet::systemd::testing {

using Sections = std::map<std::string, std::multimap<std::string, std::string>>;

inline Sections parse_unit_file(const std::string& text) {
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

inline std::vector<std::string> split_args(const std::string& s) {
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

inline std::vector<std::string> values_of(const Sections& sections, const std::string& section,
                                          const std::string& key) {
  std::vector<std::string> out;
  auto it = sections.find(section);
  if (it == sections.end()) return out;
  auto [begin, end] = it->second.equal_range(key);
  for (auto v = begin; v != end; ++v) out.push_back(v->second);
  return out;
}

inline void check_assertion(const std::string& line, const Sections& sections) {
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

}  // namespace podlet::systemd::testing
