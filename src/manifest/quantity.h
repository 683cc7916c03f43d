// Kubernetes resource quantities ("500m", "128Mi", "1e3", "0.5"), parsed exactly as
// k8s.io/apimachinery/pkg/api/resource.ParseQuantity accepts them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podlet::manifest {

struct Quantity {
  std::string text;   // as written (numbers written as YAML numbers keep their text)
  int64_t milli = 0;  // value * 1000, rounded up (Kubernetes MilliValue); saturates at INT64_MAX
  int64_t value = 0;  // rounded up to an integer (Kubernetes Value): bytes for memory/storage
  bool negative() const { return milli < 0; }
  bool is_zero() const { return milli == 0; }
  // CPU helpers: millicores (== milli) for cgroup cpu.max / cpu.weight computations.
  int64_t millicores() const { return milli; }
  int64_t bytes() const { return value; }
  friend bool operator==(const Quantity& a, const Quantity& b) {
    return a.milli == b.milli && a.value == b.value;
  }
};

// Parses a quantity. On failure returns nullopt and, when `error` is given, a message
// such as "quantities must match the regular expression ..." or "quantity is too large".
std::optional<Quantity> parse_quantity(std::string_view text, std::string* error = nullptr);

// Orders two quantities by value; -1, 0, 1.
int compare(const Quantity& a, const Quantity& b);

}  // namespace podlet::manifest
