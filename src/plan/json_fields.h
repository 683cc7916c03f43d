// The JSON form of the plan structs. One member list per struct drives both
// directions, so a member added to a spec cannot be written and then forgotten when
// read back (or the other way round). It is nlohmann's
// NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT with the two rules the plan files
// need: an empty std::optional is left out (nlohmann 3.11 has no optional support),
// and a missing or null key leaves the member at the struct's default.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

namespace podlet::plan::json_fields {

template <typename M>
void put(nlohmann::json& j, const char* key, const M& v) {
  j[key] = v;
}
template <typename M>
void put(nlohmann::json& j, const char* key, const std::optional<M>& v) {
  if (v) j[key] = *v;
}
template <typename M>
void get(const nlohmann::json& j, const char* key, M& v) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) v = it->template get<M>();
}
template <typename M>
void get(const nlohmann::json& j, const char* key, std::optional<M>& v) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) v = it->template get<M>();
}

}  // namespace podlet::plan::json_fields

#define PODLET_JSON_PUT(member) ::podlet::plan::json_fields::put(j, #member, v.member);
#define PODLET_JSON_GET(member) ::podlet::plan::json_fields::get(j, #member, v.member);

// Defines `void WRITE(json&, const Type&)`, which writes each listed member under its
// own name, and `void READ(const json&, Type&)`, which sets each listed member whose
// key is present; for structs whose JSON form needs a step more (a renamed key, a
// default other than the struct's).
#define PODLET_JSON_MEMBERS(Type, WRITE, READ, ...)                         \
  void WRITE(nlohmann::json& j, const Type& v) {                            \
    j = nlohmann::json::object();                                           \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(PODLET_JSON_PUT, __VA_ARGS__)) \
  }                                                                         \
  void READ(const nlohmann::json& j, Type& v) {                             \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(PODLET_JSON_GET, __VA_ARGS__)) \
  }

// Defines to_json and from_json of Type (declared in its header) over the listed
// members; from_json starts from a default-constructed Type.
#define PODLET_JSON_FIELDS(Type, ...)                               \
  namespace {                                                       \
  PODLET_JSON_MEMBERS(Type, write_##Type, read_##Type, __VA_ARGS__) \
  }                                                                 \
  void to_json(nlohmann::json& j, const Type& v) {                  \
    write_##Type(j, v);                                             \
  }                                                                 \
  void from_json(const nlohmann::json& j, Type& v) {                \
    v = Type{};                                                     \
    read_##Type(j, v);                                              \
  }
