// Fuzzes layer unpacking: any byte string as a layer blob (tar, or compressed by a
// filter libarchive recognizes) is unpacked into a fresh directory with small
// limits. It must give a layer or a podlet::Error, and nothing may appear outside
// that directory (checked through a sibling directory that must stay empty).
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "base/atomic_file.h"
#include "base/error.h"
#include "image/layer_unpack.h"

namespace fs = std::filesystem;

namespace {

struct Workspace {
  std::string dir;
  Workspace() {
    std::string tmpl = (fs::temp_directory_path() / "podlet-fuzz-layer.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) __builtin_trap();
    dir = tmpl;
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Workspace ws;
  const std::string layer = ws.dir + "/a/layer", outside = ws.dir + "/a/outside", blob = ws.dir + "/blob";
  std::error_code ec;
  fs::remove_all(ws.dir + "/a", ec);
  fs::create_directories(layer);
  fs::create_directories(outside);
  podlet::write_file_atomic(blob, std::string_view(reinterpret_cast<const char*>(data), size));
  podlet::image::UnpackLimits limits;
  limits.max_bytes = 16 << 20;
  limits.max_entries = 10000;
  try {
    (void)podlet::image::unpack_layer(blob, layer, limits);
  } catch (const podlet::Error&) {
  }
  if (!fs::is_empty(outside)) __builtin_trap();
  for (const auto& e : fs::directory_iterator(ws.dir))
    if (e.path().filename() != "a" && e.path().filename() != "blob") __builtin_trap();
  for (const auto& e : fs::directory_iterator(ws.dir + "/a"))
    if (e.path().filename() != "layer" && e.path().filename() != "outside") __builtin_trap();
  return 0;
}
