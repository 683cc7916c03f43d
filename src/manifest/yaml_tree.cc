#include "manifest/yaml_tree.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace podlet::manifest::yaml {
namespace {

// Thrown from the event handler to abort yaml-cpp's parse at the offending node.
struct Abort {
  ParseError error;
};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(Stream& stream, const ParseLimits& limits) : stream_(stream), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (stream_.documents.size() >= limits_.max_documents) {
      fail(mark, "too many documents (limit " + std::to_string(limits_.max_documents) + ")");
    }
    root_ = nullptr;
    doc_line_ = mark.line + 1;
    anchors_.clear();
  }

  void OnDocumentEnd() override {
    if (!root_) root_ = new_node(Node::Kind::kNull, YAML::Mark());
    stream_.documents.push_back(Document{root_, doc_line_});
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node* n = new_node(Node::Kind::kNull, mark);
    register_anchor(anchor, n);
    attach(n, mark);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark, "unknown alias");
    if (open_.count(it->second)) fail(mark, "recursive alias");
    count(it->second->expanded_size, mark);
    attach(it->second, mark);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node* n = new_node(Node::Kind::kScalar, mark);
    n->value = value;
    // "!" is yaml-cpp's tag for quoted scalars; an explicit !!str forces a string too.
    n->quoted = tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str";
    register_anchor(anchor, n);
    attach(n, mark);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::Kind::kSequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::Kind::kMap, mark, anchor);
  }
  void OnMapEnd() override {
    apply_merges(stack_.back());
    close();
  }

 private:
  struct Frame {
    Node* node;
    size_t counted_at_start;
    const Node* pending_key = nullptr;                       // maps: key read, value not yet
    std::string child_key;                                   // maps: key of the last value attached
    std::unordered_map<std::string, int> keys;               // maps: key -> line, for duplicates
    std::vector<std::pair<const Node*, YAML::Mark>> merges;  // maps: "<<" values
  };

  [[noreturn]] void fail(const YAML::Mark& mark, std::string message) {
    std::string path = current_path();
    if (path.size() > 120) path = printable(path.substr(0, 120)) + "...";
    throw Abort{ParseError{mark.line + 1, mark.column + 1, std::move(path), std::move(message)}};
  }

  // The path of the node being read: every open collection plus the child in progress.
  std::string current_path() const {
    std::string path;
    for (size_t i = 0; i < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      const bool last = i + 1 == stack_.size();
      if (f.node->kind == Node::Kind::kSequence) {
        const size_t index = last ? f.node->items.size() : f.node->items.size() - 1;
        path += "[" + std::to_string(index) + "]";
        continue;
      }
      const std::string& key = last ? (f.pending_key ? f.pending_key->value : std::string()) : f.child_key;
      if (key.empty()) continue;
      if (!path.empty()) path += ".";
      path += key;
    }
    return path;
  }

  Node* new_node(Node::Kind kind, const YAML::Mark& mark) {
    count(1, mark);
    Node& n = stream_.arena.emplace_back();
    n.kind = kind;
    n.line = mark.line + 1;
    n.column = mark.column + 1;
    return &n;
  }

  void count(size_t nodes, const YAML::Mark& mark) {
    counted_ += nodes;
    if (counted_ > limits_.max_nodes) {
      fail(mark,
           "input too large after alias expansion (limit " + std::to_string(limits_.max_nodes) + " nodes)");
    }
  }

  void register_anchor(YAML::anchor_t anchor, const Node* n) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = n;
  }

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      fail(mark, "nesting too deep (limit " + std::to_string(limits_.max_depth) + ")");
    }
    Node* n = new_node(kind, mark);
    register_anchor(anchor, n);
    attach(n, mark);
    open_.insert(n);
    stack_.push_back(Frame{n, counted_ - 1});
  }

  void close() {
    Frame& f = stack_.back();
    f.node->expanded_size = counted_ - f.counted_at_start;
    open_.erase(f.node);
    stack_.pop_back();
  }

  void attach(const Node* n, const YAML::Mark& mark) {
    if (stack_.empty()) {
      root_ = n;
      return;
    }
    Frame& f = stack_.back();
    if (f.node->kind == Node::Kind::kSequence) {
      f.node->items.push_back(n);
      return;
    }
    if (!f.pending_key) {
      if (n->kind != Node::Kind::kScalar && n->kind != Node::Kind::kNull) {
        fail(mark, "mapping keys must be strings");
      }
      f.pending_key = n;
      return;
    }
    const Node* key = f.pending_key;
    f.pending_key = nullptr;
    if (!key->quoted && key->value == "<<") {  // merge key: applied when the map ends
      f.merges.emplace_back(n, mark);
      f.child_key = key->value;
      return;
    }
    auto [it, inserted] = f.keys.emplace(key->value, key->line);
    if (!inserted) {
      YAML::Mark at;
      at.line = key->line - 1;
      at.column = key->column - 1;
      f.pending_key = key;  // so the path names the duplicate
      fail(at,
           "duplicate key \"" + key->value + "\" (first defined at line " + std::to_string(it->second) + ")");
    }
    f.node->entries.emplace_back(key, n);
    f.child_key = key->value;
  }

  // YAML merge keys as go-yaml applies them: explicit keys win, then earlier merges.
  void apply_merges(Frame& f) {
    for (const auto& [value, mark] : f.merges) {
      std::vector<const Node*> sources;
      if (value->is_map()) {
        sources.push_back(value);
      } else if (value->is_sequence()) {
        sources = value->items;
      }
      if (sources.empty() && !value->is_null())
        fail(mark, "merge key \"<<\" needs a mapping or a list of mappings");
      for (const Node* src : sources) {
        if (!src->is_map()) fail(mark, "merge key \"<<\" needs a mapping or a list of mappings");
        for (const auto& entry : src->entries) {
          if (f.keys.emplace(entry.first->value, entry.first->line).second) f.node->entries.push_back(entry);
        }
      }
    }
  }

  Stream& stream_;
  const ParseLimits& limits_;
  std::vector<Frame> stack_;
  std::unordered_set<const Node*> open_;
  std::unordered_map<YAML::anchor_t, const Node*> anchors_;
  const Node* root_ = nullptr;
  int doc_line_ = 0;
  size_t counted_ = 0;
};

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> options) {
  for (auto o : options) {
    if (s == o) return true;
  }
  return false;
}

bool all_digits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c == '_') continue;
    const bool ok = base == 16  ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                    : base == 8 ? (c >= '0' && c <= '7')
                    : base == 2 ? (c == '0' || c == '1')
                                : std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (!ok) return false;
  }
  return true;
}

bool is_int(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return all_digits(s.substr(2), 16);
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) return all_digits(s.substr(2), 8);
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) return all_digits(s.substr(2), 2);
  if (s.size() > 1 && s[0] == '0') return all_digits(s.substr(1), 8);
  return all_digits(s, 10) && s[0] != '_';
}

// go-yaml's float syntax: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, and .inf/.nan.
bool is_float(std::string_view s) {
  if (is_one_of(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
                    ".NaN", ".NAN"})) {
    return true;
  }
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i - start;
  };
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

}  // namespace

ScalarType resolve(const Node& node) {
  if (node.kind == Node::Kind::kNull) return ScalarType::kNull;
  if (node.kind != Node::Kind::kScalar || node.quoted) return ScalarType::kString;
  const std::string_view v = node.value;
  if (is_one_of(v, {"", "~", "null", "Null", "NULL"})) return ScalarType::kNull;
  if (is_one_of(v, {"y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
                    "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"})) {
    return ScalarType::kBool;
  }
  if (is_int(v)) return ScalarType::kInt;
  if (is_float(v)) return ScalarType::kFloat;
  return ScalarType::kString;
}

const char* type_name(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kMap:
      return "an object";
    case Node::Kind::kSequence:
      return "a list";
    default:
      break;
  }
  switch (resolve(node)) {
    case ScalarType::kNull:
      return "null";
    case ScalarType::kBool:
      return "a boolean";
    case ScalarType::kInt:
    case ScalarType::kFloat:
      return "a number";
    case ScalarType::kString:
      break;
  }
  return "a string";
}

std::optional<size_t> find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are invalid too.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::nullopt;
}

std::string printable(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const auto bad = find_invalid_utf8(text);
    const std::string_view good = text.substr(0, bad.value_or(text.size()));
    for (char c : good) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 && c != '\n' && c != '\t') {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", u);
        out += buf;
      } else {
        out += c;
      }
    }
    if (!bad) break;
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[*bad]));
    out += buf;
    text.remove_prefix(*bad + 1);
  }
  return out;
}

Stream parse(std::string_view text, const ParseLimits& limits) {
  Stream stream;
  std::istringstream in{std::string(text)};
  TreeBuilder builder(stream, limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Abort& a) {
    stream.errors.push_back(a.error);
  } catch (const YAML::Exception& e) {
    stream.errors.push_back(
        ParseError{e.mark.line + 1, e.mark.column + 1, "", "invalid YAML: " + printable(e.msg)});
  } catch (const std::exception& e) {
    stream.errors.push_back(ParseError{0, 0, "", "invalid YAML: " + printable(e.what())});
  }
  return stream;
}

}  // namespace podlet::manifest::yaml
