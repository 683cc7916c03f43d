#include "image/registry_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/fd.h"
#include "image/digest.h"
#include "image/image_docs.h"

namespace podlet::image {
namespace {

constexpr size_t kMaxManifestSize = kMaxImageDocSize;
// TCP connect and TLS handshake of the HTTPS probe of an insecure registry (then plain HTTP).
constexpr std::chrono::milliseconds kInsecureHandshakeLimit = std::chrono::seconds(5);
constexpr const char* kManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string host_of(const std::string& registry) {
  return registry == "docker.io" ? "registry-1.docker.io" : registry;
}

std::string url_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

bool is_insecure_registry(const std::string& registry, const RegistryOptions& options) {
  if (!options.tls_verify) return true;
  std::string host = registry.substr(0, registry.rfind(':') == std::string::npos || registry.back() == ']'
                                            ? registry.size()
                                            : registry.rfind(':'));
  if (host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]") return true;
  std::vector<std::string> marked = options.insecure_registries;
  if (const char* env = std::getenv("PODLET_INSECURE_REGISTRIES")) {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find(',', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) marked.push_back(s.substr(start, end - start));
      start = end + 1;
    }
  }
  for (const auto& m : marked)
    if (m == registry || m == host) return true;
  return false;
}

RegistryClient::RegistryClient(const Reference& ref, RegistryOptions options)
    : ref_(ref), options_(std::move(options)), credentials_(find_credentials(ref.registry)) {
  global_init();
  insecure_ = is_insecure_registry(ref.registry, options_);
  base_url_ = "https://" + host_of(ref.registry);
  // Probe /v2/: learns the scheme (HTTP fallback for insecure registries) and the auth challenge.
  Response r;
  const auto connect_timeout = connect_timeout_;
  try {
    // A plain HTTP server that waits for a request line never answers the TLS
    // ClientHello: bound the handshake, then fall back as on any TLS failure.
    if (insecure_) connect_timeout_ = kInsecureHandshakeLimit;
    r = request(base_url_ + "/v2/", {}, {}, false);
    connect_timeout_ = connect_timeout;
  } catch (const Error& e) {
    connect_timeout_ = connect_timeout;
    if (!insecure_) throw;
    spdlog::debug("{}: {}; trying plain HTTP (insecure registry)", ref.registry, e.what());
    base_url_ = "http://" + host_of(ref.registry);
    r = request(base_url_ + "/v2/", {}, {}, false);
  }
  if (r.status == 401 && !r.www_authenticate.empty()) authenticate(r.www_authenticate);
}

std::string RegistryClient::authorization() const {
  std::lock_guard lock(mu_);
  return auth_header_;
}

void RegistryClient::authenticate(const std::string& header) {
  auto challenge = parse_www_authenticate(header);
  if (!challenge) fail("{}: unparsable WWW-Authenticate {:?}", ref_.registry, header);
  std::string scheme = challenge->scheme;
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (credentials_ && !credentials_->identity_token.empty())
    fail(
        "{}: the credential helper gave an identity token, which podlet cannot use yet (the OAuth2 "
        "refresh-token grant is not implemented): log in with a username and password",
        ref_.registry);
  if (scheme == "basic") {
    if (!credentials_)
      fail(
          "{}: the registry wants credentials and none were found (looked in auth.json and "
          "~/.docker/config.json)",
          ref_.registry);
    std::lock_guard lock(mu_);
    auth_header_ = "Authorization: Basic " + base64(credentials_->username + ":" + credentials_->password);
    return;
  }
  if (scheme != "bearer" || challenge->realm.empty())
    fail("{}: unsupported auth challenge {:?}", ref_.registry, header);
  std::string url = challenge->realm;
  url += url.find('?') == std::string::npos ? "?" : "&";
  if (!challenge->service.empty()) url += "service=" + url_escape(challenge->service) + "&";
  url += "scope=" + url_escape("repository:" + ref_.repository + ":pull");
  std::vector<std::string> headers;
  if (credentials_)
    headers.push_back("Authorization: Basic " +
                      base64(credentials_->username + ":" + credentials_->password));
  Response r = request(url, headers, {}, false);
  if (r.status != 200)
    fail("{}: token server {} answered HTTP {}", ref_.registry, challenge->realm, r.status);
  std::string token;
  try {
    auto doc = nlohmann::json::parse(r.body);
    token = doc.value("token", doc.value("access_token", ""));
  } catch (const nlohmann::json::exception& e) {
    fail("{}: token server answer: {}", ref_.registry, e.what());
  }
  if (token.empty()) fail("{}: token server gave no token", ref_.registry);
  std::lock_guard lock(mu_);
  auth_header_ = "Authorization: Bearer " + token;
}

RegistryClient::Response RegistryClient::request(const std::string& url,
                                                 const std::vector<std::string>& headers, const Sink& sink,
                                                 bool authenticated) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) fail("curl_easy_init failed");
  struct Ctx {
    Response* r;
    const Sink* sink;
    bool sink_failed = false;
  };
  Response r;
  Ctx ctx{&r, &sink};
  curl_slist* raw = nullptr;
  for (const auto& h : headers) raw = curl_slist_append(raw, h.c_str());
  std::string auth = authenticated ? authorization() : "";
  if (!auth.empty()) raw = curl_slist_append(raw, auth.c_str());
  std::unique_ptr<curl_slist, SlistDeleter> list(raw);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_.count()));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);  // abort a stalled transfer after 60 s
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "podlet/0.1");
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, insecure_ ? "http,https" : "https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, insecure_ ? "http,https" : "https");
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ctx);
  curl_easy_setopt(
      c, CURLOPT_WRITEFUNCTION, +[](char* p, size_t, size_t n, void* u) -> size_t {
        auto* ctx = static_cast<Ctx*>(u);
        if (*ctx->sink && ctx->r->status == 0) {
          if (!(*ctx->sink)(p, n)) {
            ctx->sink_failed = true;
            return 0;
          }
          return n;
        }
        if (ctx->r->body.size() + n > kMaxManifestSize) return 0;
        ctx->r->body.append(p, n);
        return n;
      });
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &ctx);
  curl_easy_setopt(
      c, CURLOPT_HEADERFUNCTION, +[](char* p, size_t, size_t n, void* u) -> size_t {
        auto* ctx = static_cast<Ctx*>(u);
        std::string line(p, n);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        if (line.rfind("HTTP/", 0) == 0) {
          // A new response (after a redirect): a non-2xx status is never streamed to the sink.
          auto sp = line.find(' ');
          long code = sp == std::string::npos ? 0 : std::strtol(line.c_str() + sp + 1, nullptr, 10);
          ctx->r->status = (code >= 200 && code < 300) ? 0 : code;
          ctx->r->body.clear();
          return n;
        }
        auto colon = line.find(':');
        if (colon == std::string::npos) return n;
        std::string key = line.substr(0, colon);
        for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        if (key == "content-type") ctx->r->content_type = value;
        if (key == "www-authenticate") ctx->r->www_authenticate = value;
        return n;
      });
  CURLcode rc = curl_easy_perform(c);
  if (ctx.sink_failed) fail("GET {}: writing the download failed", url);
  if (rc != CURLE_OK) fail("GET {}: {}", url, curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

RegistryClient::Response RegistryClient::request_with_auth(const std::string& path,
                                                           const std::vector<std::string>& headers,
                                                           const Sink& sink) {
  std::string url = base_url_ + "/v2/" + ref_.repository + path;
  Response r = request(url, headers, sink, true);
  if (r.status == 401 && !r.www_authenticate.empty()) {
    // Tokens are scoped per repository and expire: ask again once.
    authenticate(r.www_authenticate);
    r = request(url, headers, sink, true);
  }
  return r;
}

RegistryClient::Manifest RegistryClient::get_manifest(const std::string& tag_or_digest) {
  Response r = request_with_auth("/manifests/" + tag_or_digest, {kManifestAccept}, {});
  if (r.status == 404) fail("{}:{}: manifest unknown to the registry", ref_.name(), tag_or_digest);
  if (r.status == 401 || r.status == 403)
    fail("{}: access denied (HTTP {}): check the credentials in {}", ref_.name(), r.status,
         credential_files().back());
  if (r.status != 200) fail("{}: manifest {}: HTTP {}", ref_.name(), tag_or_digest, r.status);
  Manifest m;
  m.body = std::move(r.body);
  m.digest = sha256_digest(m.body);
  if (is_digest(tag_or_digest) && m.digest != tag_or_digest)
    fail("{}: manifest has digest {}, asked for {}; refusing it", ref_.name(), m.digest, tag_or_digest);
  m.media_type = document_media_type(m.body, r.content_type);
  return m;
}

void RegistryClient::download_blob(const std::string& digest, const std::string& path,
                                   const std::function<void(uint64_t)>& progress, uint64_t max_size) {
  validate_digest(digest);
  UniqueFd fd = open_fd(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
  uint64_t bytes = 0;
  bool too_big = false;
  Sink sink = [&](const char* p, size_t n) {
    if (max_size && bytes + n > max_size) {
      too_big = true;
      return false;
    }
    try {
      write_all(fd.get(), std::string_view(p, n));
    } catch (const Error&) {
      return false;
    }
    bytes += n;
    if (progress) progress(bytes);
    return true;
  };
  Response r;
  try {
    r = request_with_auth("/blobs/" + digest, {}, sink);
  } catch (const Error& e) {
    if (too_big)
      fail("{}: blob {}: the registry sent more than the {} bytes the manifest says", ref_.name(), digest,
           max_size);
    throw;
  }
  if (r.status != 200) fail("{}: blob {}: HTTP {}", ref_.name(), digest, r.status);
}

}  // namespace podlet::image
