// Pull progress on stderr: one live line on a terminal, plain lines otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace podlet::image {

class PullProgress {
 public:
  PullProgress(std::string ref, bool quiet);
  // Registers a blob; returns its index for update/done.
  size_t add(const std::string& digest, uint64_t size);
  void update(size_t index, uint64_t bytes);
  void done(size_t index, const std::string& what);
  void finish();

 private:
  void draw(bool force);
  std::string ref_;
  bool quiet_, tty_;
  std::mutex mu_;
  struct Blob {
    std::string digest;
    uint64_t size = 0, bytes = 0;
    bool done = false;
  };
  std::vector<Blob> blobs_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace podlet::image
