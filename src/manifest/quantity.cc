#include "manifest/quantity.h"

#include <cctype>
#include <limits>

namespace podlet::manifest {
namespace {

constexpr const char* kFormatError =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

struct Scale {
  int pow10 = 0;
  int pow2 = 0;
};

// Kubernetes' suffixes: binary SI, decimal SI, or a decimal exponent ("e3", "E-2").
std::optional<Scale> parse_suffix(std::string_view s) {
  if (s.empty()) return Scale{};
  static constexpr std::pair<std::string_view, Scale> kSuffixes[] = {
      {"Ki", {0, 10}}, {"Mi", {0, 20}}, {"Gi", {0, 30}}, {"Ti", {0, 40}}, {"Pi", {0, 50}},
      {"Ei", {0, 60}}, {"n", {-9, 0}},  {"u", {-6, 0}},  {"m", {-3, 0}},  {"k", {3, 0}},
      {"M", {6, 0}},   {"G", {9, 0}},   {"T", {12, 0}},  {"P", {15, 0}},  {"E", {18, 0}},
  };
  for (const auto& [name, scale] : kSuffixes) {
    if (s == name) return scale;
  }
  if (s.size() < 2 || (s[0] != 'e' && s[0] != 'E')) return std::nullopt;
  std::string_view exp = s.substr(1);
  bool negative = false;
  if (exp[0] == '+' || exp[0] == '-') {
    negative = exp[0] == '-';
    exp.remove_prefix(1);
  }
  if (exp.empty()) return std::nullopt;
  int value = 0;
  for (char c : exp) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > 1000) return std::nullopt;  // far beyond anything representable
  }
  return Scale{negative ? -value : value, 0};
}

struct Decimal {
  unsigned __int128 mantissa = 0;  // at most 19 significant digits
  int pow10 = 0;
  bool sticky = false;  // dropped nonzero digits: the true value is a bit larger
};

// |value| * 10^extra10, rounded up to an integer; nullopt when it exceeds int64.
std::optional<int64_t> scaled_ceil(const Decimal& d, const Scale& scale, int extra10) {
  using u128 = unsigned __int128;
  if (d.mantissa == 0) return d.sticky ? std::optional<int64_t>(1) : std::optional<int64_t>(0);
  u128 num = d.mantissa << scale.pow2;  // < 2^64 * 2^60: fits
  const int p10 = d.pow10 + scale.pow10 + extra10;
  constexpr u128 kMax = static_cast<u128>(std::numeric_limits<int64_t>::max());
  if (p10 >= 0) {
    for (int i = 0; i < p10; ++i) {
      if (num > kMax) return std::nullopt;
      num *= 10;
    }
    if (num > kMax) return std::nullopt;
    if (d.sticky) ++num;  // dropped fraction digits: round up
    if (num > kMax) return std::nullopt;
    return static_cast<int64_t>(num);
  }
  if (-p10 > 38) return 1;  // tiny but nonzero: rounds up to one unit
  u128 den = 1;
  for (int i = 0; i < -p10; ++i) den *= 10;
  u128 q = num / den;
  if (num % den != 0 || d.sticky) ++q;
  if (q > kMax) return std::nullopt;
  return static_cast<int64_t>(q);
}

}  // namespace

std::optional<Quantity> parse_quantity(std::string_view text, std::string* error) {
  auto fail = [&](const char* message) -> std::optional<Quantity> {
    if (error) *error = message;
    return std::nullopt;
  };
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  Decimal d;
  int significant = 0;
  bool seen_dot = false, seen_digit = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      if (seen_dot) return fail(kFormatError);
      seen_dot = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    seen_digit = true;
    const int digit = c - '0';
    if (significant == 0 && digit == 0) {
      if (seen_dot) --d.pow10;
      continue;
    }
    if (significant < 19) {
      d.mantissa = d.mantissa * 10 + digit;
      ++significant;
      if (seen_dot) --d.pow10;
    } else {
      if (digit != 0) d.sticky = true;
      if (!seen_dot) ++d.pow10;
    }
  }
  if (!seen_digit) return fail(kFormatError);
  auto scale = parse_suffix(s.substr(i));
  if (!scale) return fail(kFormatError);

  Quantity q;
  q.text = std::string(text);
  auto value = scaled_ceil(d, *scale, 0);
  if (!value) return fail("quantity is too large");
  auto milli = scaled_ceil(d, *scale, 3);
  q.value = negative ? -*value : *value;
  q.milli = milli ? (negative ? -*milli : *milli)
                  : (negative ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max());
  return q;
}

int compare(const Quantity& a, const Quantity& b) {
  if (a.value != b.value) return a.value < b.value ? -1 : 1;
  if (a.milli != b.milli) return a.milli < b.milli ? -1 : 1;
  return 0;
}

}  // namespace podlet::manifest
