// Rollback helpers: each step that changes the host pushes its undo; on success the
// guard is dismissed. Undo actions run in reverse order and never throw out, but a
// failed undo is never silent: it goes to the report the owner gave (the callers
// pass a warning through their log), saying what was left behind and why.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace podlet {

// Receives one message per failed undo step: "<what> left behind: <error>".
using UndoFailureReport = std::function<void(const std::string& message)>;

// Runs one undo step; its failure goes to `report` (which itself must not throw out).
inline void run_undo_step(const std::string& what, const std::function<void()>& undo,
                          const UndoFailureReport& report) noexcept {
  std::string error;
  try {
    undo();
    return;
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown error";
  }
  try {
    if (report) report(what + " left behind: " + error);
  } catch (...) {
  }
}

class ScopeGuard {
 public:
  // `what` names what stays on the host when `f` fails (e.g. "temp file /x.tmp").
  ScopeGuard(std::string what, std::function<void()> f, UndoFailureReport report)
      : what_(std::move(what)), f_(std::move(f)), report_(std::move(report)) {}
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;
  ~ScopeGuard() {
    if (f_) run_undo_step(what_, f_, report_);
  }
  void dismiss() noexcept { f_ = nullptr; }

 private:
  std::string what_;
  std::function<void()> f_;
  UndoFailureReport report_;
};

// An ordered list of undo steps for a multi-step operation (play, network setup).
class Rollback {
 public:
  explicit Rollback(UndoFailureReport report) : report_(std::move(report)) {}
  Rollback(const Rollback&) = delete;
  Rollback& operator=(const Rollback&) = delete;
  ~Rollback() { run(); }

  // `what` names what stays on the host when `undo` fails (e.g. "bridge podlet0").
  void push(std::string what, std::function<void()> undo) {
    steps_.push_back({std::move(what), std::move(undo)});
  }
  void dismiss() noexcept { steps_.clear(); }
  // Runs the undo steps now, newest first; each failure goes to the report.
  void run() noexcept {
    while (!steps_.empty()) {
      Step step = std::move(steps_.back());
      steps_.pop_back();
      run_undo_step(step.what, step.undo, report_);
    }
  }

 private:
  struct Step {
    std::string what;
    std::function<void()> undo;
  };
  std::vector<Step> steps_;
  UndoFailureReport report_;
};

}  // namespace podlet
