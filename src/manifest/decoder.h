// Strict decoding of a YAML tree into the model, field by field, as Kubernetes'
// strict decoder does: unknown fields and wrong types are errors that name the full
// path and the line:column, with a "did you mean" suggestion for likely typos.
// Internal to the manifest layer.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "manifest/model.h"
#include "manifest/yaml_tree.h"

namespace podlet::manifest::detail {

using yaml::Node;
using Positions = std::unordered_map<std::string, SourcePosition>;

// Per-document decoding state: where diagnostics go and where each field was.
class DocContext {
 public:
  DocContext(std::string file, int document, int line, std::vector<Diagnostic>& diagnostics);

  void error(const Node* at, const std::string& path, std::string message);
  void warn(const Node* at, const std::string& path, std::string message);
  void record(const std::string& path, const Node* at);
  // A Source for objects of this document (shares the position table).
  Source source(std::string kind) const;
  const std::string& file() const { return file_; }
  int document() const { return document_; }

 private:
  std::string file_;
  int document_;
  int line_;
  std::vector<Diagnostic>& diagnostics_;
  std::shared_ptr<Positions> positions_;
};

std::string join_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, size_t index);

// Reads the fields of one YAML mapping. Every field the decoder asks for becomes a
// known field; when the reader goes out of scope the remaining ones are reported
// as unknown (with the closest known name as a suggestion).
class Fields {
 public:
  Fields(DocContext& ctx, const Node* node, std::string path);
  ~Fields();
  Fields(const Fields&) = delete;
  Fields& operator=(const Fields&) = delete;

  bool ok() const { return ok_; }  // the node was a mapping (or null)
  DocContext& ctx() { return ctx_; }
  const std::string& path() const { return path_; }
  std::string path(std::string_view key) const { return join_path(path_, key); }

  // The value of `key`, or nullptr when absent or null. Marks the key as known.
  const Node* take(std::string_view key);
  // Marks `key` as known without using it (server-populated fields like status).
  void accept(std::string_view key) { take(key); }
  // A field podlet knows but does not honour: a warning when it is set.
  void not_honoured(std::string_view key, std::string_view why = "");
  bool has(std::string_view key) const;

  template <typename T>
  void get(std::string_view key, T& out);

 private:
  DocContext& ctx_;
  const Node* node_;
  std::string path_;
  bool ok_ = true;
  std::vector<std::string_view> known_;
};

// Scalar and container decoders; struct decoders are declared in decode.h.
void decode(DocContext& c, const Node* n, const std::string& path, std::string& out);
void decode(DocContext& c, const Node* n, const std::string& path, bool& out);
void decode(DocContext& c, const Node* n, const std::string& path, int32_t& out);
void decode(DocContext& c, const Node* n, const std::string& path, int64_t& out);
void decode(DocContext& c, const Node* n, const std::string& path, Quantity& out);
void decode(DocContext& c, const Node* n, const std::string& path, IntOrString& out);
void decode(DocContext& c, const Node* n, const std::string& path, std::map<std::string, std::string>& out);
void decode(DocContext& c, const Node* n, const std::string& path, std::map<std::string, Quantity>& out);

template <typename T>
void decode(DocContext& c, const Node* n, const std::string& path, std::optional<T>& out) {
  T value{};
  decode(c, n, path, value);
  out = std::move(value);
}

template <typename T>
void decode(DocContext& c, const Node* n, const std::string& path, std::vector<T>& out) {
  if (!n->is_sequence()) {
    c.error(n, path, std::string("expected a list, got ") + yaml::type_name(*n));
    return;
  }
  out.clear();
  out.reserve(n->items.size());
  for (size_t i = 0; i < n->items.size(); ++i) {
    const std::string item_path = index_path(path, i);
    c.record(item_path, n->items[i]);
    T value{};
    if (!n->items[i]->is_null()) decode(c, n->items[i], item_path, value);
    out.push_back(std::move(value));
  }
}

template <typename T>
void Fields::get(std::string_view key, T& out) {
  if (const Node* n = take(key)) decode(ctx_, n, path(key), out);
}

// One entry of a field table: a YAML key and the member of T it fills.
template <typename T, typename M>
struct Field {
  std::string_view key;
  M T::*member;
};
// Spelled out because clang 14 (Debian 12) does not deduce template arguments of aggregates.
template <typename T, typename M>
Field(std::string_view, M T::*) -> Field<T, M>;

// An entry for a field podlet knows but does not honour (see Fields::not_honoured).
struct NotHonoured {
  std::string_view key;
  std::string_view why;
};

template <typename T, typename M>
void read_field(Fields& f, T& out, const Field<T, M>& field) {
  f.get(field.key, out.*field.member);
}

template <typename T>
void read_field(Fields& f, T&, const NotHonoured& field) {
  f.not_honoured(field.key, field.why);
}

// Reads every entry of `table` (a tuple of Field and NotHonoured) into `out`, in the
// table's order (the order fixes which known field a typo is matched to).
template <typename T, typename Table>
void read_fields(Fields& f, T& out, const Table& table) {
  std::apply([&](const auto&... field) { (read_field(f, out, field), ...); }, table);
}

}  // namespace podlet::manifest::detail
