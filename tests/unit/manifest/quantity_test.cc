#include <gtest/gtest.h>

#include "manifest/quantity.h"

namespace podlet::manifest {
namespace {

Quantity q(const char* s) {
  auto v = parse_quantity(s);
  EXPECT_TRUE(v) << s;
  return v.value_or(Quantity{});
}

TEST(Quantity, DecimalAndBinarySuffixes) {
  EXPECT_EQ(q("500m").milli, 500);
  EXPECT_EQ(q("500m").value, 1);  // rounded up, as Kubernetes Value()
  EXPECT_EQ(q("1").milli, 1000);
  EXPECT_EQ(q("128Mi").value, 128LL << 20);
  EXPECT_EQ(q("1Ki").value, 1024);
  EXPECT_EQ(q("1Ei").value, 1LL << 60);
  EXPECT_EQ(q("1k").value, 1000);
  EXPECT_EQ(q("1M").value, 1000000);
  EXPECT_EQ(q("2G").value, 2000000000);
  EXPECT_EQ(q("1T").value, 1000000000000LL);
  EXPECT_EQ(q("1P").value, 1000000000000000LL);
  EXPECT_EQ(q("1E").value, 1000000000000000000LL);
  EXPECT_EQ(q("100u").milli, 1);  // 0.0001 rounds up to 1m
  EXPECT_EQ(q("100n").value, 1);
}

TEST(Quantity, ExponentsAndFractions) {
  EXPECT_EQ(q("1e3").value, 1000);
  EXPECT_EQ(q("1E3").value, 1000);
  EXPECT_EQ(q("1e+3").value, 1000);
  EXPECT_EQ(q("5e-3").milli, 5);
  EXPECT_EQ(q("0.5").milli, 500);
  EXPECT_EQ(q(".5").milli, 500);
  EXPECT_EQ(q("1.5Gi").value, 1536LL << 20);
  EXPECT_EQ(q("0.1").milli, 100);
  EXPECT_EQ(q("0.0001").milli, 1);
  EXPECT_EQ(q("+2").value, 2);
  EXPECT_EQ(q("-2").value, -2);
  EXPECT_TRUE(q("-2").negative());
  EXPECT_TRUE(q("0").is_zero());
  EXPECT_EQ(q("1.").value, 1);
}

TEST(Quantity, RejectsBadSyntax) {
  for (const char* bad : {"", "m", "1.5.2", "128MB", "10K", "1e", "1e3.5", "1 Gi", "Gi", "1iB", "--1", "1Mi2",
                          "abc", "0x10", ".", "1e-"}) {
    std::string why;
    EXPECT_FALSE(parse_quantity(bad, &why)) << bad;
    EXPECT_NE(why.find("regular expression"), std::string::npos) << bad;
  }
}

TEST(Quantity, TooLargeIsAnErrorNotAnOverflow) {
  std::string why;
  EXPECT_FALSE(parse_quantity("99999999999999999999999Ei", &why));
  EXPECT_EQ(why, "quantity is too large");
  EXPECT_FALSE(parse_quantity("1e1000", &why));
  EXPECT_FALSE(parse_quantity("16Ei"));
  // Fits as a value, saturates as a milli-value.
  auto big = parse_quantity("8Ei");
  EXPECT_FALSE(big);  // 2^63 does not fit in int64
  auto fits = parse_quantity("7Ei");
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->value, 7LL << 60);
  EXPECT_EQ(fits->milli, INT64_MAX);
  EXPECT_EQ(q("0.000000000000000000000000000000000000000001").milli, 1);
}

TEST(Quantity, Compare) {
  EXPECT_EQ(compare(q("1Gi"), q("1024Mi")), 0);
  EXPECT_LT(compare(q("500m"), q("1")), 0);
  EXPECT_GT(compare(q("1G"), q("1Mi")), 0);
  EXPECT_EQ(q("1000m"), q("1"));
}

}  // namespace
}  // namespace podlet::manifest
