#include "manifest/suggest.h"

#include <algorithm>
#include <cctype>

namespace podlet::manifest {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (word.size() > 64) return {};  // not a typo of any field name; keeps this cheap
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (auto c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  if (best.empty()) return {};
  const size_t allowed = std::max<size_t>(2, best.size() / 3);
  return best_distance <= allowed && best_distance < word.size() ? std::string(best) : std::string();
}

}  // namespace podlet::manifest
