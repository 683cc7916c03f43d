#include <gtest/gtest.h>

#include <map>

#include "manifest/expand.h"

namespace podlet::manifest {
namespace {

std::string expand(std::string_view in) {
  static const std::map<std::string, std::string, std::less<>> vars = {
      {"VAR_A", "A"}, {"VAR_B", "B"}, {"VAR_EMPTY", ""}, {"VAR_REF", "$(VAR_A)"}};
  return expand_vars(in, [](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

// Cases from Kubernetes' expansion tests (third_party/forked/golang/expansion).
TEST(Expand, KubernetesRules) {
  EXPECT_EQ(expand("$(VAR_A)"), "A");
  EXPECT_EQ(expand("___$(VAR_B)___"), "___B___");
  EXPECT_EQ(expand("$(VAR_A)-$(VAR_B)"), "A-B");
  EXPECT_EQ(expand("$(VAR_EMPTY)"), "");
  EXPECT_EQ(expand("$(VAR_REF)"), "$(VAR_A)");  // no recursion
  EXPECT_EQ(expand("$(UNDEFINED)"), "$(UNDEFINED)");
  EXPECT_EQ(expand("$$(VAR_A)"), "$(VAR_A)");
  EXPECT_EQ(expand("$$$(VAR_A)"), "$A");
  EXPECT_EQ(expand("$$$$(VAR_A)"), "$$(VAR_A)");
  EXPECT_EQ(expand("$$"), "$");
  EXPECT_EQ(expand("$"), "$");
  EXPECT_EQ(expand("foo$"), "foo$");
  EXPECT_EQ(expand("$VAR_A"), "$VAR_A");
  EXPECT_EQ(expand("$(VAR_A"), "$(VAR_A");
  EXPECT_EQ(expand("$(VAR_A$(VAR_B)"), "$(VAR_A$(VAR_B)");
  EXPECT_EQ(expand("$()"), "$()");
  EXPECT_EQ(expand("$(VAR_A)$(VAR_B"), "A$(VAR_B");
  EXPECT_EQ(expand("\\$(VAR_A)"), "\\A");
  EXPECT_EQ(expand(""), "");
  EXPECT_EQ(expand("no vars"), "no vars");
}

TEST(Expand, NullLookupLeavesReferences) {
  EXPECT_EQ(expand_vars("$(X) $$", nullptr), "$(X) $");
}

}  // namespace
}  // namespace podlet::manifest
