// A bounded YAML reader. yaml-cpp's event parser feeds our own tree so that hostile
// input is refused while it is read, before it can cost memory, stack or time:
// nesting depth, alias expansion (billion laughs), document count and size are
// limited, duplicate keys are errors (as in Kubernetes), YAML merge keys ("<<") are
// applied, and every node keeps its line:column for diagnostics.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace podlet::manifest::yaml {

struct Node {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string value;               // scalars
  bool quoted = false;             // quoted or tagged !!str: always a string, never a number/bool/null
  int line = 0;                    // 1-based
  int column = 0;                  // 1-based
  std::vector<const Node*> items;  // sequences
  std::vector<std::pair<const Node*, const Node*>> entries;  // maps, in order (keys are scalars)
  size_t expanded_size = 1;                                  // nodes in this subtree with aliases expanded

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_map() const { return kind == Kind::kMap; }
  bool is_sequence() const { return kind == Kind::kSequence; }
};

struct Document {
  const Node* root = nullptr;  // never null: an empty document has a kNull root
  int line = 0;
};

struct ParseError {
  int line = 0;
  int column = 0;
  std::string path;  // where in the document, when known
  std::string message;
};

struct ParseLimits {
  int max_depth = 100;
  size_t max_nodes = 1u << 20;  // for the whole input, aliases expanded
  size_t max_documents = 10000;
};

// Owns the nodes; documents point into it. Documents that were read completely
// before an error are kept.
struct Stream {
  std::deque<Node> arena;
  std::vector<Document> documents;
  std::vector<ParseError> errors;
};

Stream parse(std::string_view text, const ParseLimits& limits);

// The type a plain scalar resolves to, as Kubernetes' YAML decoder (YAML 1.1 rules of
// go-yaml v2) resolves it: "yes"/"on" are booleans, "0x1f" is an int, "1e3" a float.
enum class ScalarType { kNull, kBool, kInt, kFloat, kString };
ScalarType resolve(const Node& node);
const char* type_name(
    const Node& node);  // "a string", "a number", "a boolean", "null", "a list", "an object"

// The offset of the first byte that is not valid UTF-8; nullopt when all is valid.
std::optional<size_t> find_invalid_utf8(std::string_view text);

// `text` with every byte that is not part of valid UTF-8, and every control
// character, written as \xNN: safe to print and to put in JSON.
std::string printable(std::string_view text);

}  // namespace podlet::manifest::yaml
