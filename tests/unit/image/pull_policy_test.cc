#include <gtest/gtest.h>

#include "base/error.h"
#include "image/store.h"

namespace podlet::image {
namespace {

TEST(PullPolicy, ParsesTheThreeKubernetesValuesOnly) {
  EXPECT_EQ(parse_pull_policy("Always"), PullPolicy::kAlways);
  EXPECT_EQ(parse_pull_policy("IfNotPresent"), PullPolicy::kIfNotPresent);
  EXPECT_EQ(parse_pull_policy("Never"), PullPolicy::kNever);
  try {
    parse_pull_policy("");
    FAIL() << "an empty policy is the manifest layer's to default";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "imagePullPolicy \"\": not Always, IfNotPresent or Never");
  }
  EXPECT_THROW(parse_pull_policy("never"), Error);
}

}  // namespace
}  // namespace podlet::image
