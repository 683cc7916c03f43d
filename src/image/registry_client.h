// A client of the OCI distribution API (the /v2/ HTTP API every registry speaks),
// over libcurl: anonymous access, Basic auth and Bearer tokens obtained from the
// WWW-Authenticate challenge. HTTPS always; plain HTTP only as a fallback for
// registries marked insecure (localhost and 127.0.0.0/8 are, like in Podman).
// One client may be used from several threads (each request has its own handle).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "image/reference.h"
#include "image/registry_auth.h"

namespace podlet::image {

struct RegistryOptions {
  bool tls_verify = true;                        // false: plain HTTP allowed for this pull (any registry)
  std::vector<std::string> insecure_registries;  // plus $PODLET_INSECURE_REGISTRIES (comma-separated)
};

class RegistryClient {
 public:
  RegistryClient(const Reference& ref, RegistryOptions options);

  struct Manifest {
    std::string body;
    std::string media_type;
    std::string digest;  // sha256 of the body, as received
  };
  // GET /v2/<repo>/manifests/<tag or digest>. A digest reference is verified.
  Manifest get_manifest(const std::string& tag_or_digest);
  // GET /v2/<repo>/blobs/<digest> into `path` (created); progress gets the bytes so far.
  // A registry sending more than `max_size` bytes (the manifest's size; 0: no limit) is
  // cut off. The content is not verified here (Store::commit_blob does).
  void download_blob(const std::string& digest, const std::string& path,
                     const std::function<void(uint64_t)>& progress = {}, uint64_t max_size = 0);
  const std::string& base_url() const { return base_url_; }

 private:
  struct Response {
    long status = 0;
    std::string body;  // when not streamed to a file
    std::string content_type;
    std::string www_authenticate;
  };
  using Sink = std::function<bool(const char*, size_t)>;
  Response request(const std::string& url, const std::vector<std::string>& headers, const Sink& sink,
                   bool authenticated);
  Response request_with_auth(const std::string& path, const std::vector<std::string>& headers,
                             const Sink& sink);
  void authenticate(const std::string& challenge);
  std::string authorization() const;

  Reference ref_;
  RegistryOptions options_;
  std::string base_url_;
  bool insecure_ = false;
  // TCP connect plus TLS handshake (curl's connect phase); shorter while probing
  // HTTPS on an insecure registry, which may never answer a ClientHello.
  std::chrono::milliseconds connect_timeout_ = std::chrono::seconds(30);
  std::optional<Credentials> credentials_;
  mutable std::mutex mu_;
  std::string auth_header_;  // "Authorization: ..." once known
};

bool is_insecure_registry(const std::string& registry, const RegistryOptions& options);

}  // namespace podlet::image
