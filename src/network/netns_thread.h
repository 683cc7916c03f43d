// Work done inside another network namespace without moving the caller:
// setns(CLONE_NEWNET) changes only the calling thread, so a short-lived thread
// joins the namespace, runs the work and is gone. Sockets and /proc/sys/net files
// opened there stay bound to that namespace.
#pragma once

#include <sched.h>

#include <exception>
#include <thread>
#include <type_traits>

#include "base/error.h"

namespace podlet::network {

// Runs f() on a thread that joined `netns_fd` (a negative fd: the thread stays in
// the caller's namespace, e.g. to unshare one of its own) and returns its result;
// an exception thrown there is rethrown here.
template <typename F>
auto run_in_netns(int netns_fd, F f) {
  using Result = decltype(f());
  std::conditional_t<std::is_void_v<Result>, int, Result> result{};
  std::exception_ptr error;
  std::thread([&] {
    try {
      if (netns_fd >= 0 && ::setns(netns_fd, CLONE_NEWNET) < 0) throw system_error("join network namespace");
      if constexpr (std::is_void_v<Result>) {
        f();
      } else {
        result = f();
      }
    } catch (...) {
      error = std::current_exception();
    }
  }).join();
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<Result>) return result;
}

}  // namespace podlet::network
