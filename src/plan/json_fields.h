// One field list per plan struct drives both directions of its JSON form, so a
// member added to a spec cannot be written and then forgotten when read back (or
// the other way round). An empty std::optional is left out; a missing or null key
// leaves the member at the struct's default.
#pragma once

#include <optional>
#include <tuple>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace podlet::plan::json_fields {

// One entry: a JSON key and the member of T it holds.
template <typename T, typename M>
struct Field {
  const char* key;
  M T::*member;
};
// Spelled out because clang 14 does not deduce template arguments of aggregates.
template <typename T, typename M>
Field(const char*, M T::*) -> Field<T, M>;

template <typename M>
struct is_optional : std::false_type {};
template <typename M>
struct is_optional<std::optional<M>> : std::true_type {};

template <typename T, typename Fields>
void write(nlohmann::json& j, const T& v, const Fields& fields) {
  j = nlohmann::json::object();
  std::apply(
      [&](const auto&... f) {
        auto put = [&](const auto& field) {
          const auto& value = v.*field.member;
          if constexpr (is_optional<std::remove_cvref_t<decltype(value)>>::value) {
            if (value) j[field.key] = *value;
          } else {
            j[field.key] = value;
          }
        };
        (put(f), ...);
      },
      fields);
}

// Starts from `defaults` (a default-constructed T unless a struct defaults a member
// otherwise) and takes every key that is present.
template <typename T, typename Fields>
void read(const nlohmann::json& j, T& v, const Fields& fields, const T& defaults = T{}) {
  v = defaults;
  std::apply(
      [&](const auto&... f) {
        auto get = [&](const auto& field) {
          auto it = j.find(field.key);
          if (it == j.end() || it->is_null()) return;
          auto& value = v.*field.member;
          using M = std::remove_cvref_t<decltype(value)>;
          if constexpr (is_optional<M>::value) {
            value = it->template get<typename M::value_type>();
          } else {
            value = it->template get<M>();
          }
        };
        (get(f), ...);
      },
      fields);
}

}  // namespace podlet::plan::json_fields
