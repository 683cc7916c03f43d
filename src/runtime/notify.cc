#include "runtime/notify.h"

#include <systemd/sd-daemon.h>

#include <string>

#include "base/error.h"

namespace podlet::runtime {

void notify_ready(pid_t main_pid) {
  std::string message = main_pid > 0 ? "MAINPID=" + std::to_string(main_pid) + "\nREADY=1" : "READY=1";
  int rc = sd_notify(0, message.c_str());
  if (rc < 0) throw system_error("sd_notify " + message, -rc);
}

void notify_main_pid(pid_t pid) {
  std::string message = "MAINPID=" + std::to_string(pid) + "\nSTATUS=" + kWorkloadIsMainStatus;
  int rc = sd_notify(0, message.c_str());
  if (rc < 0) throw system_error("sd_notify " + message, -rc);
  if (rc == 0) return;  // no $NOTIFY_SOCKET: not run by systemd
  constexpr uint64_t kBarrierTimeoutUsec = 30'000'000;
  rc = sd_notify_barrier(0, kBarrierTimeoutUsec);
  if (rc < 0) throw system_error("sd_notify_barrier after " + message, -rc);
}

}  // namespace podlet::runtime
