#include "probe/grpc_wire.h"

namespace podlet::probe {

namespace {

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

std::optional<uint64_t> get_varint(std::string_view& in) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return std::nullopt;
    auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  return std::nullopt;
}

// Skips one field's value of wire type `type`; false when it runs past the end.
bool skip_field(std::string_view& in, uint64_t type) {
  switch (type) {
    case 0:
      return get_varint(in).has_value();
    case 1:
      if (in.size() < 8) return false;
      in.remove_prefix(8);
      return true;
    case 2: {
      auto len = get_varint(in);
      if (!len || *len > in.size()) return false;
      in.remove_prefix(static_cast<size_t>(*len));
      return true;
    }
    case 5:
      if (in.size() < 4) return false;
      in.remove_prefix(4);
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string health_check_request(std::string_view service) {
  std::string out;
  if (service.empty()) return out;
  out += '\x0a';  // field 1, wire type 2
  put_varint(out, service.size());
  out.append(service);
  return out;
}

std::string grpc_frame(std::string_view message) {
  std::string out(5, '\0');
  auto n = static_cast<uint32_t>(message.size());
  for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<char>((n >> (8 * (3 - i))) & 0xff);
  return out + std::string(message);
}

std::optional<int64_t> health_check_status(std::string_view body) {
  if (body.size() < 5 || body[0] != 0) return std::nullopt;
  uint32_t n = 0;
  for (int i = 1; i <= 4; ++i) n = (n << 8) | static_cast<uint8_t>(body[i]);
  if (n != body.size() - 5) return std::nullopt;
  std::string_view in = body.substr(5);
  int64_t status = 0;  // proto3: an absent field is 0 (UNKNOWN)
  while (!in.empty()) {
    auto key = get_varint(in);
    if (!key) return std::nullopt;
    if (*key == 0x08) {
      auto v = get_varint(in);
      if (!v) return std::nullopt;
      status = static_cast<int64_t>(*v);
    } else if (!skip_field(in, *key & 7)) {
      return std::nullopt;
    }
  }
  return status;
}

std::string serving_status_name(int64_t status) {
  switch (status) {
    case 0:
      return "UNKNOWN";
    case 1:
      return "SERVING";
    case 2:
      return "NOT_SERVING";
    case 3:
      return "SERVICE_UNKNOWN";
    default:
      return std::to_string(status);
  }
}

}  // namespace podlet::probe
