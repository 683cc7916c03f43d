// Docker credential helpers (the docker-credential-helpers protocol), as
// `credsStore` and `credHelpers` in config.json / auth.json name them:
// `docker-credential-<name> get` reads the server URL on stdin and prints
// {"ServerURL": ..., "Username": ..., "Secret": ...} on stdout; "<token>" as the
// username means Secret is an identity (refresh) token; a failure whose output says
// "credentials not found" means the helper has none for that server.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "image/registry_auth.h"

namespace podlet::image {

// Runs docker-credential-`helper` (found on $PATH; no shell) with `server_url` on its
// stdin, with only stdin/stdout/stderr open, and kills it after `timeout`. nullopt when
// it has no credentials for the server; throws podlet::Error naming the helper and the
// registry when it cannot be run, fails otherwise, times out or answers nonsense.
std::optional<Credentials> run_credential_helper(
    const std::string& helper, const std::string& registry, const std::string& server_url,
    std::chrono::milliseconds timeout = std::chrono::seconds(30));

// The helper's stdout as credentials (nullopt: no credentials in it). Throws
// podlet::Error naming the helper and the registry for output that is not the
// protocol's JSON object.
std::optional<Credentials> parse_credential_helper_output(const std::string& helper,
                                                          const std::string& registry,
                                                          const std::string& output);

}  // namespace podlet::image
