// The std::visit helper: one visitor made of several lambdas, one per alternative.
#pragma once

namespace podlet {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Spelled out because clang 14 (clang-tidy, the fuzzers) does not deduce aggregates.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace podlet
