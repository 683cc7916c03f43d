// Fuzzes the read side of the gRPC health probe: a server's response body is untrusted.
// Checks that a well-formed HealthCheckResponse built from the input reads back the
// status it was built with, and that any body is either refused or a named status.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "probe/grpc_wire.h"

namespace {

std::string varint(uint64_t v) {
  std::string out;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out.push_back(static_cast<char>(v ? byte | 0x80 : byte));
  } while (v);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto status = podlet::probe::health_check_status(body)) {
    if (podlet::probe::serving_status_name(*status).empty()) __builtin_trap();
  }
  // A response whose only field is status = the input's first 8 bytes (as a protobuf
  // int64 enum value, a varint) reads back that status.
  if (size >= 8) {
    int64_t wanted = 0;
    std::memcpy(&wanted, data, sizeof wanted);
    std::string message = "\x08" + varint(static_cast<uint64_t>(wanted));
    auto status = podlet::probe::health_check_status(podlet::probe::grpc_frame(message));
    if (!status || *status != wanted) __builtin_trap();
  }
  return 0;
}
