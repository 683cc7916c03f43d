// Base of the runtime tests: a sandbox and the busybox + probe image in it.
#pragma once

#include <gtest/gtest.h>

#include "pod_fixture.h"

namespace podlet::test {

class RuntimeTest : public ::testing::Test {
 protected:
  Sandbox sandbox;
  std::string image = make_test_image(sandbox);
};

}  // namespace podlet::test
