// Registry credentials from the files users already have, in the order Podman
// reads them: $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
// ~/.config/containers/auth.json, then Docker's $DOCKER_CONFIG/config.json or
// ~/.docker/config.json. Only the "auths" entries ("auth": base64 user:password)
// are used; credential helpers are not run.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace podlet::image {

struct Credentials {
  std::string username;
  std::string password;
};

std::optional<Credentials> find_credentials(const std::string& registry);
// The files looked at, in order (for messages and tests).
std::vector<std::string> credential_files();

// One challenge of a WWW-Authenticate header: scheme ("Bearer", "Basic") and its parameters.
struct AuthChallenge {
  std::string scheme;
  std::string realm, service, scope;
};
std::optional<AuthChallenge> parse_www_authenticate(const std::string& header);

}  // namespace podlet::image
