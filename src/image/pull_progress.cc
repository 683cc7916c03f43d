#include "image/pull_progress.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>

namespace podlet::image {
namespace {

std::string mb(uint64_t b) {
  return fmt::format("{:.1f} MB", static_cast<double>(b) / 1e6);
}

}  // namespace

PullProgress::PullProgress(std::string ref, bool quiet)
    : ref_(std::move(ref)), quiet_(quiet), tty_(::isatty(STDERR_FILENO) == 1) {}

size_t PullProgress::add(const std::string& digest, uint64_t size) {
  std::lock_guard lock(mu_);
  blobs_.push_back({digest, size, 0, false});
  return blobs_.size() - 1;
}

void PullProgress::update(size_t index, uint64_t bytes) {
  std::lock_guard lock(mu_);
  blobs_[index].bytes = bytes;
  draw(false);
}

void PullProgress::done(size_t index, const std::string& what) {
  std::lock_guard lock(mu_);
  blobs_[index].done = true;
  blobs_[index].bytes = blobs_[index].size;
  if (quiet_) return;
  if (tty_) return draw(true);
  std::fprintf(stderr, "%s blob %s (%s)\n", what.c_str(), blobs_[index].digest.substr(7, 12).c_str(),
               mb(blobs_[index].size).c_str());
}

void PullProgress::draw(bool force) {
  if (quiet_ || !tty_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  uint64_t total = 0, bytes = 0;
  size_t done = 0;
  for (const auto& b : blobs_) total += b.size, bytes += b.bytes, done += b.done;
  std::fprintf(stderr, "\r\033[KPulling %s: %zu/%zu blobs, %s / %s", ref_.c_str(), done, blobs_.size(),
               mb(bytes).c_str(), mb(total).c_str());
}

void PullProgress::finish() {
  std::lock_guard lock(mu_);
  if (!quiet_ && tty_) {
    draw(true);
    std::fprintf(stderr, "\n");
  }
}

}  // namespace podlet::image
