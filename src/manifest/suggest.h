// "did you mean ...?" for unknown field names and enum values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace podlet::manifest {

// The candidate closest to `word` (case-insensitive edit distance), if it is close
// enough to be a likely typo; else empty.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace podlet::manifest
