// The containers registries.conf (v2 format, plus the v1 [registries.*] tables) that
// Podman, Buildah and Skopeo share: short-name resolution and insecure/blocked
// registries. Read from $CONTAINERS_REGISTRIES_CONF when set, else from
// /etc/containers/registries.conf and then /etc/containers/registries.conf.d/*.conf
// in name order (a later file overrides the keys it sets; aliases accumulate).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "image/reference.h"

namespace podlet::image {

struct RegistriesConf {
  // unqualified-search-registries; when no file sets it, docker.io (the default).
  std::vector<std::string> search_registries = {"docker.io"};
  std::vector<std::string> insecure;           // [[registry]] location (or prefix) with insecure = true
  std::vector<std::string> blocked;            // ... with blocked = true
  std::map<std::string, std::string> aliases;  // [aliases] "busybox" = "docker.io/library/busybox"
  // short-name-mode: "enforcing" | "permissive" | "disabled". Podman prompts in enforcing
  // mode when a short name has several candidates; podlet never prompts, so that is an
  // error there (as Podman's without a tty). Unset behaves as permissive (try each).
  std::string short_name_mode = "permissive";
  std::string short_name_mode_file;    // the file that set it (for messages)
  std::string search_registries_file;  // the file that set search_registries
};

// Throws podlet::Error naming the file and line for a file that is not valid TOML.
RegistriesConf load_registries_conf();
RegistriesConf parse_registries_conf(const std::string& toml_text, const std::string& file_name,
                                     RegistriesConf base = {});

// The fully qualified references a name stands for, in the order to try them:
// a qualified name is itself; a short name ("busybox", "team/app:1") is its alias
// when registries.conf has one, else one candidate per search registry
// ("docker.io" adds library/ to single names). In enforcing mode a short name without an
// alias must have exactly one candidate: throws podlet::Error naming them and the file.
std::vector<Reference> resolve_name(std::string_view ref, const RegistriesConf& conf);

// Is `registry` (host[:port]) matched by an entry of `list` (a location, or a
// prefix like "reg.example.com/team" matching its host part, or "*.example.com")?
bool registry_listed(const std::string& registry, const std::vector<std::string>& list);

}  // namespace podlet::image
