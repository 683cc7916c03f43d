// Rollback helper: each step that changes the host pushes its undo; on success the
// guard is dismissed. Undo actions run in reverse order and never throw out.
#pragma once

#include <functional>
#include <utility>
#include <vector>

namespace podlet {

class ScopeGuard {
 public:
  explicit ScopeGuard(std::function<void()> f) : f_(std::move(f)) {}
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;
  ~ScopeGuard() {
    if (f_) try {
        f_();
      } catch (...) {
      }
  }
  void dismiss() noexcept { f_ = nullptr; }

 private:
  std::function<void()> f_;
};

// An ordered list of undo steps for a multi-step operation (play, network setup).
class Rollback {
 public:
  Rollback() = default;
  Rollback(const Rollback&) = delete;
  Rollback& operator=(const Rollback&) = delete;
  ~Rollback() { run(); }

  void push(std::function<void()> undo) { undo_.push_back(std::move(undo)); }
  void dismiss() noexcept { undo_.clear(); }
  // Runs the undo steps now, newest first, swallowing their errors.
  void run() noexcept {
    while (!undo_.empty()) {
      auto f = std::move(undo_.back());
      undo_.pop_back();
      try {
        f();
      } catch (...) {
      }
    }
  }

 private:
  std::vector<std::function<void()>> undo_;
};

}  // namespace podlet
