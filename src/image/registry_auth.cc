#include "image/registry_auth.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "image/credential_helper.h"

namespace podlet::image {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::optional<std::string> base64_decode(const std::string& in) {
  if (in.empty() || in.size() % 4) return std::nullopt;
  std::string out(in.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return std::nullopt;
  size_t pad = in.ends_with("==") ? 2 : in.ends_with("=") ? 1 : 0;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

// Keys may be "host", "host/path", or URLs ("https://index.docker.io/v1/").
std::string key_host(std::string key) {
  if (auto p = key.find("://"); p != std::string::npos) key = key.substr(p + 3);
  if (auto p = key.find('/'); p != std::string::npos) key = key.substr(0, p);
  if (key == "index.docker.io" || key == "registry-1.docker.io") key = "docker.io";
  return key;
}

// What a helper is asked for: Docker stores Docker Hub under its v1 URL.
std::string helper_server_url(const std::string& registry) {
  return registry == "docker.io" ? "https://index.docker.io/v1/" : registry;
}

// The helper a file names for `want` (credHelpers, else credsStore), or "".
std::string helper_for(const nlohmann::json& doc, const std::string& want, const std::string& file) {
  if (auto it = doc.find("credHelpers"); it != doc.end() && it->is_object()) {
    for (const auto& [key, helper] : it->items())
      if (key_host(key) == want && helper.is_string()) return helper.get<std::string>();
  }
  if (auto it = doc.find("credsStore"); it != doc.end()) {
    if (it->is_string()) return it->get<std::string>();
    spdlog::warn("{}: credsStore is not a string; ignored", file);
  }
  return "";
}

std::optional<Credentials> from_auths(const nlohmann::json& doc, const std::string& want) {
  auto auths_it = doc.find("auths");
  if (auths_it == doc.end() || !auths_it->is_object()) return std::nullopt;
  for (const auto& [key, entry] : auths_it->items()) {
    if (key_host(key) != want || !entry.is_object()) continue;
    auto auth = entry.find("auth");
    if (auth == entry.end() || !auth->is_string()) continue;
    auto decoded = base64_decode(auth->get<std::string>());
    if (!decoded) continue;
    auto colon = decoded->find(':');
    if (colon == std::string::npos) continue;
    return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1), ""};
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> credential_files() {
  std::vector<std::string> files;
  if (auto f = env("REGISTRY_AUTH_FILE"); !f.empty()) files.push_back(f);
  if (auto d = env("XDG_RUNTIME_DIR"); !d.empty())
    files.push_back(d + "/containers/auth.json");
  else
    files.push_back("/run/containers/" + std::to_string(::getuid()) + "/auth.json");
  std::string home = env("HOME");
  if (auto c = env("XDG_CONFIG_HOME"); !c.empty())
    files.push_back(c + "/containers/auth.json");
  else if (!home.empty())
    files.push_back(home + "/.config/containers/auth.json");
  if (auto d = env("DOCKER_CONFIG"); !d.empty())
    files.push_back(d + "/config.json");
  else if (!home.empty())
    files.push_back(home + "/.docker/config.json");
  return files;
}

std::optional<Credentials> find_credentials(const std::string& registry) {
  std::string want = key_host(registry);
  for (const auto& file : credential_files()) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) continue;
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(read_file(file));
    } catch (const std::exception& e) {
      spdlog::warn("ignoring credentials file {}: {}", file, e.what());
      continue;
    }
    if (!doc.is_object()) continue;
    if (std::string helper = helper_for(doc, want, file); !helper.empty()) {
      auto c =
          with_context(file, [&] { return run_credential_helper(helper, want, helper_server_url(want)); });
      if (c) {
        spdlog::debug("credentials for {} from docker-credential-{} ({})", registry, helper, file);
        return c;
      }
    }
    if (auto c = from_auths(doc, want)) {
      spdlog::debug("credentials for {} from {}", registry, file);
      return c;
    }
  }
  return std::nullopt;
}

std::optional<AuthChallenge> parse_www_authenticate(const std::string& header) {
  size_t i = 0;
  while (i < header.size() && header[i] == ' ') ++i;
  size_t sp = header.find(' ', i);
  AuthChallenge c;
  c.scheme = header.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
  if (c.scheme.empty()) return std::nullopt;
  if (sp == std::string::npos) return c;
  i = sp + 1;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t eq = header.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = header.substr(i, eq - i);
    std::string value;
    i = eq + 1;
    if (i < header.size() && header[i] == '"') {
      for (++i; i < header.size() && header[i] != '"'; ++i) {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value += header[i];
      }
      ++i;
    } else {
      size_t end = header.find(',', i);
      value = header.substr(i, end == std::string::npos ? std::string::npos : end - i);
      i = end == std::string::npos ? header.size() : end;
    }
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (key == "realm")
      c.realm = value;
    else if (key == "service")
      c.service = value;
    else if (key == "scope")
      c.scope = value;
  }
  return c;
}

}  // namespace podlet::image
