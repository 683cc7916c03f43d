#include "manifest/decoder.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "manifest/suggest.h"

namespace podlet::manifest::detail {

DocContext::DocContext(std::string file, int document, int line, std::vector<Diagnostic>& diagnostics)
    : file_(std::move(file)),
      document_(document),
      line_(line),
      diagnostics_(diagnostics),
      positions_(std::make_shared<Positions>()) {}

void DocContext::error(const Node* at, const std::string& path, std::string message) {
  diagnostics_.push_back(Diagnostic{Diagnostic::kError, file_, at ? at->line : line_, at ? at->column : 0,
                                    path, std::move(message)});
}

void DocContext::warn(const Node* at, const std::string& path, std::string message) {
  diagnostics_.push_back(Diagnostic{Diagnostic::kWarning, file_, at ? at->line : line_, at ? at->column : 0,
                                    path, std::move(message)});
}

void DocContext::record(const std::string& path, const Node* at) {
  positions_->emplace(path, SourcePosition{at->line, at->column});
}

Source DocContext::source(std::string kind) const {
  Source s;
  s.file = file_;
  s.document = document_;
  s.line = line_;
  s.kind = std::move(kind);
  s.positions = positions_;
  return s;
}

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out = parent;
  out += '.';
  out += key;
  return out;
}

std::string index_path(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

// ------------------------------------------------------------------ Fields

Fields::Fields(DocContext& ctx, const Node* node, std::string path)
    : ctx_(ctx), node_(node), path_(std::move(path)) {
  if (!node_->is_map() && !node_->is_null()) {
    ctx_.error(node_, path_, std::string("expected an object, got ") + yaml::type_name(*node_));
    ok_ = false;
  }
}

Fields::~Fields() {
  if (!ok_ || !node_->is_map()) return;
  for (const auto& [key, value] : node_->entries) {
    bool known = false;
    for (auto k : known_) {
      if (k == key->value) {
        known = true;
        break;
      }
    }
    if (known) continue;
    std::string message = "unknown field";
    const std::string suggestion = closest_match(key->value, known_);
    if (!suggestion.empty()) message += " (did you mean " + suggestion + "?)";
    ctx_.error(key, path(key->value), std::move(message));
  }
}

const Node* Fields::take(std::string_view key) {
  known_.push_back(key);
  if (!ok_ || !node_->is_map()) return nullptr;
  for (const auto& [k, v] : node_->entries) {
    if (k->value == key) {
      ctx_.record(path(key), k);
      return yaml::resolve(*v) == yaml::ScalarType::kNull ? nullptr : v;
    }
  }
  return nullptr;
}

bool Fields::has(std::string_view key) const {
  if (!node_->is_map()) return false;
  for (const auto& [k, v] : node_->entries) {
    if (k->value == key) return yaml::resolve(*v) != yaml::ScalarType::kNull;
  }
  return false;
}

void Fields::not_honoured(std::string_view key, std::string_view why) {
  const Node* n = take(key);
  if (!n) return;
  if ((n->is_map() && n->entries.empty()) || (n->is_sequence() && n->items.empty())) return;
  std::string message = "podlet does not honour this field; it is ignored";
  if (!why.empty()) message += std::string(" (") + std::string(why) + ")";
  const Node* at = n;
  for (const auto& [k, v] : node_->entries) {
    if (k->value == key) at = k;
  }
  ctx_.warn(at, path(key), std::move(message));
}

// ------------------------------------------------------------------ scalars

namespace {

bool expect_scalar(DocContext& c, const Node* n, const std::string& path, yaml::ScalarType want,
                   const char* want_name) {
  const auto got = yaml::resolve(*n);
  if (n->is_scalar() && got == want) return true;
  std::string message = std::string("expected ") + want_name + ", got " + yaml::type_name(*n);
  if (want == yaml::ScalarType::kString && n->is_scalar()) message += " (put it in quotes)";
  c.error(n, path, std::move(message));
  return false;
}

// An integer as go-yaml reads it (0x.., 0o.., 0b.., leading-0 octal, '_' separators),
// or a float without a fractional part; nullopt with an error otherwise.
std::optional<int64_t> read_integer(DocContext& c, const Node* n, const std::string& path) {
  const auto type = yaml::resolve(*n);
  if (n->is_scalar() && type == yaml::ScalarType::kInt) {
    std::string digits;
    for (char ch : n->value) {
      if (ch != '_') digits += ch;
    }
    bool negative = false;
    std::string_view s = digits;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
      negative = s[0] == '-';
      s.remove_prefix(1);
    }
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && std::string_view("xXoObB").find(s[1]) != std::string_view::npos) {
      base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
      s.remove_prefix(2);
    } else if (s.size() > 1 && s[0] == '0') {
      base = 8;
    }
    errno = 0;
    const std::string body(s);
    char* end = nullptr;
    const unsigned long long magnitude = std::strtoull(body.c_str(), &end, base);
    const unsigned long long limit =
        negative ? static_cast<unsigned long long>(std::numeric_limits<int64_t>::max()) + 1
                 : static_cast<unsigned long long>(std::numeric_limits<int64_t>::max());
    if (errno == ERANGE || magnitude > limit) {
      c.error(n, path, "number " + n->value + " is out of range");
      return std::nullopt;
    }
    return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  }
  if (n->is_scalar() && type == yaml::ScalarType::kFloat) {
    const double d = std::strtod(n->value.c_str(), nullptr);
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
    c.error(n, path, "expected an integer, got " + n->value);
    return std::nullopt;
  }
  c.error(n, path, std::string("expected an integer, got ") + yaml::type_name(*n));
  return std::nullopt;
}

}  // namespace

void decode(DocContext& c, const Node* n, const std::string& path, std::string& out) {
  if (expect_scalar(c, n, path, yaml::ScalarType::kString, "a string")) out = n->value;
}

void decode(DocContext& c, const Node* n, const std::string& path, bool& out) {
  if (!expect_scalar(c, n, path, yaml::ScalarType::kBool, "a boolean")) return;
  const char first = n->value[0];
  out = first == 'y' || first == 'Y' || first == 't' || first == 'T' || n->value == "on" ||
        n->value == "On" || n->value == "ON";
}

void decode(DocContext& c, const Node* n, const std::string& path, int64_t& out) {
  if (auto v = read_integer(c, n, path)) out = *v;
}

void decode(DocContext& c, const Node* n, const std::string& path, int32_t& out) {
  auto v = read_integer(c, n, path);
  if (!v) return;
  if (*v < std::numeric_limits<int32_t>::min() || *v > std::numeric_limits<int32_t>::max()) {
    c.error(n, path, "number " + n->value + " is out of range for a 32-bit integer");
    return;
  }
  out = static_cast<int32_t>(*v);
}

void decode(DocContext& c, const Node* n, const std::string& path, Quantity& out) {
  const auto type = yaml::resolve(*n);
  if (!n->is_scalar() || (type != yaml::ScalarType::kString && type != yaml::ScalarType::kInt &&
                          type != yaml::ScalarType::kFloat)) {
    c.error(n, path, std::string("expected a quantity (a string or a number), got ") + yaml::type_name(*n));
    return;
  }
  std::string why;
  if (auto q = parse_quantity(n->value, &why)) {
    out = *q;
  } else {
    c.error(n, path, "invalid quantity \"" + n->value + "\": " + why);
  }
}

void decode(DocContext& c, const Node* n, const std::string& path, IntOrString& out) {
  const auto type = yaml::resolve(*n);
  if (n->is_scalar() && (type == yaml::ScalarType::kInt || type == yaml::ScalarType::kFloat)) {
    int32_t v = 0;
    decode(c, n, path, v);
    out = IntOrString{true, v, {}};
    return;
  }
  if (n->is_scalar() && type == yaml::ScalarType::kString) {
    out = IntOrString{false, 0, n->value};
    return;
  }
  c.error(n, path, std::string("expected an integer or a string, got ") + yaml::type_name(*n));
}

namespace {

// A mapping of names to values. A null value is kept as an empty value when
// `keep_null` (a label "key:" is the empty string), else its key is left out
// (a null quantity).
template <typename V>
void decode_map(DocContext& c, const Node* n, const std::string& path, std::map<std::string, V>& out,
                bool keep_null) {
  if (!n->is_map()) {
    c.error(n, path, std::string("expected an object, got ") + yaml::type_name(*n));
    return;
  }
  for (const auto& [k, v] : n->entries) {
    const std::string p = join_path(path, k->value);
    c.record(p, k);
    const bool null = yaml::resolve(*v) == yaml::ScalarType::kNull;
    if (null && !keep_null) continue;
    V value{};
    if (!null) decode(c, v, p, value);
    out[k->value] = std::move(value);
  }
}

}  // namespace

void decode(DocContext& c, const Node* n, const std::string& path, std::map<std::string, std::string>& out) {
  decode_map(c, n, path, out, true);
}

void decode(DocContext& c, const Node* n, const std::string& path, std::map<std::string, Quantity>& out) {
  decode_map(c, n, path, out, false);
}

}  // namespace podlet::manifest::detail
