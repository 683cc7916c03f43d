// Manager's error contract without a bus; its behaviour against a real systemd is tested in
// the throwaway machine (tests/machine/systemd_client_test.cc).
#include "systemd/manager.h"

#include <stdlib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"

namespace podlet::systemd {
namespace {

TEST(Manager, NoSystemBusIsAPodletErrorThatSaysSo) {
  const char* old = getenv("DBUS_SYSTEM_BUS_ADDRESS");
  std::string saved = old ? old : "";
  setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/podlet-test/system_bus_socket", 1);
  try {
    Manager m;
    ADD_FAILURE() << "connected to a bus that does not exist";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("connect to systemd on the system bus"));
  }
  if (old) {
    setenv("DBUS_SYSTEM_BUS_ADDRESS", saved.c_str(), 1);
  } else {
    unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
  }
}

TEST(UnitStatus, StatePredicates) {
  UnitStatus s;
  s.active_state = "active";
  EXPECT_TRUE(s.is_active());
  EXPECT_FALSE(s.is_failed());
  s.active_state = "failed";
  EXPECT_FALSE(s.is_active());
  EXPECT_TRUE(s.is_failed());
  s.active_state = "activating";
  EXPECT_FALSE(s.is_active());
}

}  // namespace
}  // namespace podlet::systemd
