#include "image/registries_conf.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <toml.hpp>

#include "base/atomic_file.h"
#include "base/error.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

using Value = toml::value;

const Value* lookup(const Value& table, const std::string& key) {
  if (!table.is_table()) return nullptr;
  const auto& t = table.as_table();
  auto it = t.find(key);
  return it == t.end() ? nullptr : &it->second;
}

std::vector<std::string> strings(const Value& v, const std::string& where) {
  if (!v.is_array()) fail("{}: not an array", where);
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) {
    if (!s.is_string()) fail("{}: not a list of strings", where);
    out.push_back(s.as_string().str);
  }
  return out;
}

std::string string_of(const Value* v, const std::string& where) {
  if (!v) return "";
  if (!v->is_string()) fail("{}: not a string", where);
  return v->as_string().str;
}

bool bool_of(const Value* v, const std::string& where) {
  if (!v) return false;
  if (!v->is_boolean()) fail("{}: not a boolean", where);
  return v->as_boolean();
}

void add_unique(std::vector<std::string>& list, const std::string& s) {
  if (!s.empty() && std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
}

// The host[:port] part of a registries.conf location or prefix.
std::string host_part(const std::string& location) {
  return location.substr(0, location.find('/'));
}

}  // namespace

RegistriesConf parse_registries_conf(const std::string& text, const std::string& file, RegistriesConf conf) {
  Value doc;
  try {
    std::istringstream in(text);
    doc = toml::parse(in, file);
  } catch (const std::exception& e) {
    fail("{}: {}", file, e.what());
  }
  return with_context(file, [&] {
    if (const Value* v = lookup(doc, "unqualified-search-registries")) {
      conf.search_registries = strings(*v, "unqualified-search-registries");
      conf.search_registries_file = file;
    }
    if (const Value* v = lookup(doc, "short-name-mode")) {
      std::string mode = string_of(v, "short-name-mode");
      if (mode != "enforcing" && mode != "permissive" && mode != "disabled")
        fail("short-name-mode: {:?} is not one of \"enforcing\", \"permissive\", \"disabled\"", mode);
      conf.short_name_mode = mode;
      conf.short_name_mode_file = file;
    }
    if (const Value* regs = lookup(doc, "registry")) {
      if (!regs->is_array()) fail("[[registry]]: not an array of tables");
      for (const auto& r : regs->as_array()) {
        std::string location = string_of(lookup(r, "location"), "registry.location");
        std::string prefix = string_of(lookup(r, "prefix"), "registry.prefix");
        std::string key = host_part(prefix.empty() ? location : prefix);
        if (bool_of(lookup(r, "insecure"), "registry.insecure")) add_unique(conf.insecure, key);
        if (bool_of(lookup(r, "blocked"), "registry.blocked")) add_unique(conf.blocked, key);
      }
    }
    if (const Value* aliases = lookup(doc, "aliases")) {
      if (!aliases->is_table()) fail("[aliases]: not a table");
      for (const auto& [name, target] : aliases->as_table()) {
        if (!target.is_string()) fail("aliases.{}: not a string", name);
        conf.aliases[name] = target.as_string().str;
      }
    }
    // Version 1 of the format.
    if (const Value* v1 = lookup(doc, "registries")) {
      if (const Value* s = lookup(*v1, "search"); s && lookup(*s, "registries")) {
        conf.search_registries = strings(*lookup(*s, "registries"), "registries.search.registries");
        conf.search_registries_file = file;
      }
      if (const Value* s = lookup(*v1, "insecure"); s && lookup(*s, "registries"))
        for (const auto& r : strings(*lookup(*s, "registries"), "registries.insecure.registries"))
          add_unique(conf.insecure, host_part(r));
      if (const Value* s = lookup(*v1, "block"); s && lookup(*s, "registries"))
        for (const auto& r : strings(*lookup(*s, "registries"), "registries.block.registries"))
          add_unique(conf.blocked, host_part(r));
    }
    return conf;
  });
}

RegistriesConf load_registries_conf() {
  std::vector<std::string> files;
  if (const char* env = std::getenv("CONTAINERS_REGISTRIES_CONF"); env && *env) {
    files.push_back(env);
  } else {
    files.push_back("/etc/containers/registries.conf");
    std::vector<std::string> dropins;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/etc/containers/registries.conf.d", ec))
      if (e.path().extension() == ".conf") dropins.push_back(e.path().string());
    std::sort(dropins.begin(), dropins.end());
    files.insert(files.end(), dropins.begin(), dropins.end());
  }
  RegistriesConf conf;
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) continue;
    conf = parse_registries_conf(read_file(f), f, std::move(conf));
  }
  return conf;
}

std::vector<Reference> resolve_name(std::string_view ref, const RegistriesConf& conf) {
  if (!is_short_name(ref)) return {parse_reference(ref)};
  // Split off tag and digest to look the bare name up in the aliases.
  std::string_view name = ref.substr(0, ref.find('@'));
  std::string suffix(ref.substr(name.size()));
  if (auto colon = name.rfind(':'); colon != std::string_view::npos) {
    suffix = std::string(name.substr(colon)) + suffix;
    name = name.substr(0, colon);
  }
  if (auto it = conf.aliases.find(std::string(name)); it != conf.aliases.end())
    return {parse_reference(it->second + suffix)};
  std::vector<Reference> out;
  for (const auto& registry : conf.search_registries)
    out.push_back(parse_reference(registry + "/" + std::string(ref)));
  if (out.empty())
    fail("{:?} is a short name and registries.conf lists no unqualified-search-registries: use a full name",
         std::string(ref));
  if (out.size() > 1 && conf.short_name_mode == "enforcing") {
    std::string candidates;
    for (const auto& r : out) candidates += (candidates.empty() ? "" : ", ") + r.string();
    fail(
        "{:?} is a short name with {} candidates ({}) and short-name-mode is \"enforcing\" in {}{}: podlet "
        "does not prompt; use a fully qualified name or add an alias to [aliases]",
        std::string(ref), out.size(), candidates, conf.short_name_mode_file,
        conf.search_registries_file.empty() || conf.search_registries_file == conf.short_name_mode_file
            ? ""
            : " (unqualified-search-registries in " + conf.search_registries_file + ")");
  }
  return out;
}

bool registry_listed(const std::string& registry, const std::vector<std::string>& list) {
  for (const auto& entry : list) {
    if (entry == registry) return true;
    if (entry.starts_with("*.") && registry.ends_with(entry.substr(1))) return true;
  }
  return false;
}

}  // namespace podlet::image
