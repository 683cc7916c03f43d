// A temporary directory removed with everything in it, even when a test fails.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "base/error.h"

namespace podlet::network::testing {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/podlet-net-unit.XXXXXX";
    if (!::mkdtemp(tmpl)) throw system_error("mkdtemp");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace podlet::network::testing
