#include <gtest/gtest.h>

#include <cerrno>

#include "base/error.h"

namespace podlet {
namespace {

// Stands for a layer's own error type with fields (runtime's ContainerStartError).
class StartError : public Error {
 public:
  StartError(std::string message, int err, int exit_code)
      : Error(std::move(message), err), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

TEST(Error, WithContextKeepsTheErrorsTypeAndFields) {
  try {
    with_context("pod default/web", [] {
      with_context("container app", [] { throw StartError("exec /bin/app: No such file", ENOENT, 127); });
    });
    FAIL() << "no error";
  } catch (const StartError& e) {
    EXPECT_STREQ(e.what(), "pod default/web: container app: exec /bin/app: No such file");
    EXPECT_EQ(e.exit_code(), 127);
    EXPECT_EQ(e.error_number(), ENOENT);
  }
}

TEST(Error, WithContextReturnsTheValueAndLeavesOtherExceptionsAlone) {
  EXPECT_EQ(with_context("ctx", [] { return 42; }), 42);
  EXPECT_THROW(with_context("ctx", [] { throw std::logic_error("bug"); }), std::logic_error);
  try {
    with_context("ctx", [] { throw std::logic_error("bug"); });
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "bug");
  }
}

TEST(Error, AddContextPrefixesInPlaceAndSystemErrorKeepsErrno) {
  Error e = system_error("open /x", EACCES);
  e.add_context("volume data");
  EXPECT_STREQ(e.what(), "volume data: open /x: Permission denied");
  EXPECT_EQ(e.error_number(), EACCES);
}

}  // namespace
}  // namespace podlet
