#include "image/reference.h"

#include "base/error.h"
#include "image/digest.h"

namespace podlet::image {
namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// A path component: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*, as in the distribution spec.
bool valid_component(std::string_view c) {
  if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (is_lower_alnum(ch) || ch == '-') continue;
    if (ch == '.' || ch == '_') {
      if (!is_lower_alnum(c[i - 1])) {
        // only "__" is allowed as a doubled separator
        if (!(ch == '_' && c[i - 1] == '_' && i >= 2 && is_lower_alnum(c[i - 2]))) return false;
      }
      continue;
    }
    return false;
  }
  return true;
}

bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!word(t.front())) return false;
  for (char c : t)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

bool looks_like_registry(std::string_view first) {
  return first == "localhost" || first.find('.') != std::string_view::npos ||
         first.find(':') != std::string_view::npos;
}

}  // namespace

std::string Reference::string() const {
  std::string s = name();
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

Reference parse_reference(std::string_view input) {
  auto bad = [&](const char* why) -> Reference {
    fail("invalid image reference {:?}: {}", std::string(input), why);
  };
  if (input.empty()) return bad("empty");
  Reference r;
  std::string_view rest = input;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    r.digest = std::string(rest.substr(at + 1));
    if (!is_digest(r.digest)) return bad("the digest must be sha256:<64 hex digits>");
    rest = rest.substr(0, at);
  }
  auto slash = rest.find('/');
  if (slash != std::string_view::npos && looks_like_registry(rest.substr(0, slash))) {
    r.registry = std::string(rest.substr(0, slash));
    rest = rest.substr(slash + 1);
    for (char c : r.registry)
      if (!(is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == ':' || c == '[' ||
            c == ']'))
        return bad("invalid registry host");
  } else {
    r.registry = "docker.io";
  }
  if (r.registry == "index.docker.io" || r.registry == "registry-1.docker.io") r.registry = "docker.io";
  auto last_slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string_view::npos && (last_slash == std::string_view::npos || colon > last_slash)) {
    r.tag = std::string(rest.substr(colon + 1));
    if (!valid_tag(r.tag)) return bad("invalid tag");
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return bad("no repository name");
  size_t start = 0;
  while (start <= rest.size()) {
    auto end = rest.find('/', start);
    if (end == std::string_view::npos) end = rest.size();
    if (!valid_component(rest.substr(start, end - start)))
      return bad("repository components must be lowercase letters, digits and separators");
    start = end + 1;
  }
  r.repository = std::string(rest);
  if (r.registry == "docker.io" && r.repository.find('/') == std::string::npos)
    r.repository = "library/" + r.repository;
  if (r.repository.size() + r.registry.size() > 255) return bad("name longer than 255 characters");
  if (r.tag.empty() && r.digest.empty()) r.tag = "latest";
  return r;
}

bool is_short_name(std::string_view ref) {
  std::string_view name = ref.substr(0, ref.find('@'));
  auto slash = name.find('/');
  return slash == std::string_view::npos || !looks_like_registry(name.substr(0, slash));
}

std::string normalize_reference(std::string_view ref) {
  return parse_reference(ref).string();
}

}  // namespace podlet::image
