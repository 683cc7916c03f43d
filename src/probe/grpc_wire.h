// The grpc.health.v1 messages of the gRPC probe (grpc_check.cc) on the wire: pure
// functions, so the untrusted half (the server's answer) is tested and fuzzed alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podlet::probe {

inline constexpr int64_t kServing = 1;  // HealthCheckResponse.ServingStatus.SERVING

// HealthCheckRequest{service} as protobuf: field 1, length-delimited (empty: no field).
std::string health_check_request(std::string_view service);
// A message in gRPC's length-prefixed frame (not compressed).
std::string grpc_frame(std::string_view message);
// HealthCheckResponse.status from a response body (one frame); nullopt when the body is
// not one uncompressed frame of a well-formed message. Unknown fields are skipped.
std::optional<int64_t> health_check_status(std::string_view body);
// UNKNOWN, SERVING, NOT_SERVING, SERVICE_UNKNOWN, or the number.
std::string serving_status_name(int64_t status);

}  // namespace podlet::probe
