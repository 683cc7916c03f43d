#include "manifest/expand.h"

namespace podlet::manifest {

std::string expand_vars(std::string_view input, const VarLookup& lookup) {
  std::string out;
  out.reserve(input.size());
  size_t i = 0;
  while (i < input.size()) {
    const char c = input[i];
    if (c != '$' || i + 1 == input.size()) {  // a trailing '$' is kept as is
      out += c;
      ++i;
      continue;
    }
    const char next = input[i + 1];
    if (next == '$') {  // "$$" escapes a '$'
      out += '$';
      i += 2;
    } else if (next == '(') {
      const size_t close = input.find(')', i + 2);
      if (close == std::string_view::npos) {  // unterminated: keep "$(" and go on after it
        out += "$(";
        i += 2;
        continue;
      }
      const std::string_view name = input.substr(i + 2, close - i - 2);
      if (auto value = lookup ? lookup(name) : std::nullopt) {
        out += *value;
      } else {
        out.append(input.substr(i, close - i + 1));  // undefined: left as written
      }
      i = close + 1;
    } else {  // "$x": both characters kept
      out += '$';
      out += next;
      i += 2;
    }
  }
  return out;
}

}  // namespace podlet::manifest
