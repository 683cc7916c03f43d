// Registry credentials from the files users already have, in the order Podman
// reads them: $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
// ~/.config/containers/auth.json, then Docker's $DOCKER_CONFIG/config.json or
// ~/.docker/config.json. In each file, a registry's "credHelpers" entry comes first,
// then "credsStore" (both run a docker-credential-<name> helper, see
// credential_helper.h), then its "auths" entry ("auth": base64 user:password); the
// first file that yields credentials wins.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace podlet::image {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // a helper's "<token>" answer (OAuth2 refresh token); no username then
};

// Throws podlet::Error when a configured credential helper fails (not when it has none).
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
