// Pulls from registries that want credentials: docker-registry with its token auth
// (a Bearer challenge answered by the tests' token server) and with htpasswd (Basic),
// credentials read from the files users have: $REGISTRY_AUTH_FILE,
// $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json, and from credential
// helpers those files name (credHelpers, credsStore).
#include <gtest/gtest.h>

#include <filesystem>

#include "fixtures.h"
#include "image/store.h"
#include "registry_fixture.h"
#include "token_server.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

using testing::run;
using testing::TarBuilder;
using testing::TmpfsDir;

// bcrypt of "s3cret" (docker-registry's htpasswd accepts only bcrypt).
constexpr const char* kHtpasswd = "alice:$2b$05$eB4sTeTI..lVXywlbdM/2eL0C6skEVw5yXurNnUp3VPf/ykaBco5u\n";
// base64("alice:s3cret") and base64("alice:wrong")
constexpr const char* kGoodAuth = "YWxpY2U6czNjcmV0";
constexpr const char* kBadAuth = "YWxpY2U6d3Jvbmc=";

class Auth : public ::testing::Test {
 protected:
  TmpfsDir tmp;
  std::string layout = tmp.path + "/layout";
  std::string home = tmp.path + "/home";
  int pulls = 0;

  void SetUp() override {
    TarBuilder layer;
    layer.dir("etc").file("etc/motd", "secret image\n");
    testing::write_oci_layout(layout, {layer}, "bb");
    fs::create_directories(home);
  }
  void push(const std::string& host) {
    auto r = run("skopeo copy -q --dest-tls-verify=false --dest-creds alice:s3cret oci:" + layout +
                 ":bb docker://" + host + "/test/bb:1");
    ASSERT_EQ(r.status, 0) << r.output;
  }
  static std::string auth_json(const std::string& host, const char* auth) {
    return nlohmann::json{{"auths", {{host, {{"auth", auth}}}}}}.dump();
  }
  // `podlet image pull` into a fresh store, in a clean environment plus `env`.
  testing::CommandResult pull(const std::string& ref, const std::string& env = "") {
    std::string root = tmp.path + "/root" + std::to_string(++pulls);
    return run("env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=" + home + " " + env +
               " " PODLET_BINARY " --root " + root + " image pull -q " + ref);
  }
};

TEST_F(Auth, BearerTokenFlowWithCredentialsFromEachFile) {
  testing::TokenServer tokens("alice", "s3cret", tmp.path + "/token.crt");
  testing::Registry registry(tmp.path, tokens.registry_config(tmp.path + "/token.crt"));
  push(registry.host());
  std::string ref = registry.host() + "/test/bb:1";

  // No credentials anywhere: the token server refuses, and the error says so.
  auto r = pull(ref);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("token server"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("401"), std::string::npos) << r.output;

  // $REGISTRY_AUTH_FILE
  write_file_atomic(tmp.path + "/auth.json", auth_json(registry.host(), kGoodAuth));
  size_t before = tokens.requests().size();
  r = pull(ref, "REGISTRY_AUTH_FILE=" + tmp.path + "/auth.json");
  ASSERT_EQ(r.status, 0) << r.output << registry.read_log();
  auto seen = tokens.requests();
  ASSERT_GT(seen.size(), before);
  bool pull_scope = false;
  for (size_t i = before; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].authorization, std::string("Basic ") + kGoodAuth);
    EXPECT_EQ(seen[i].service, testing::TokenServer::kService);
    for (const auto& s : seen[i].scopes) pull_scope |= s == "repository:test/bb:pull";
  }
  EXPECT_TRUE(pull_scope);

  // $XDG_RUNTIME_DIR/containers/auth.json
  fs::create_directories(tmp.path + "/xdg/containers");
  write_file_atomic(tmp.path + "/xdg/containers/auth.json", auth_json(registry.host(), kGoodAuth));
  r = pull(ref, "XDG_RUNTIME_DIR=" + tmp.path + "/xdg");
  EXPECT_EQ(r.status, 0) << r.output;
  fs::remove_all(tmp.path + "/xdg");

  // ~/.docker/config.json (a URL-style key, as `docker login` writes)
  fs::create_directories(home + "/.docker");
  write_file_atomic(home + "/.docker/config.json", auth_json("http://" + registry.host(), kGoodAuth));
  r = pull(ref);
  EXPECT_EQ(r.status, 0) << r.output;

  // A wrong password is refused.
  write_file_atomic(tmp.path + "/bad.json", auth_json(registry.host(), kBadAuth));
  fs::remove_all(home + "/.docker");
  r = pull(ref, "REGISTRY_AUTH_FILE=" + tmp.path + "/bad.json");
  EXPECT_NE(r.status, 0) << r.output;

  // The image pulled with a token is complete.
  Store store(tmp.path + "/root2/storage");
  auto img = store.find(ref);
  ASSERT_TRUE(img);
  EXPECT_EQ(read_file(img->layer_dirs[0] + "/etc/motd"), "secret image\n");
}

TEST_F(Auth, BasicAuthWithHtpasswd) {
  write_file_atomic(tmp.path + "/htpasswd", kHtpasswd);
  testing::Registry registry(
      tmp.path, "auth:\n  htpasswd:\n    realm: podlet-test\n    path: " + tmp.path + "/htpasswd\n");
  push(registry.host());
  std::string ref = registry.host() + "/test/bb:1";

  auto r = pull(ref);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("none were found"), std::string::npos) << r.output;

  write_file_atomic(tmp.path + "/bad.json", auth_json(registry.host(), kBadAuth));
  r = pull(ref, "REGISTRY_AUTH_FILE=" + tmp.path + "/bad.json");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("access denied"), std::string::npos) << r.output;

  fs::create_directories(home + "/.docker");
  write_file_atomic(home + "/.docker/config.json", auth_json(registry.host(), kGoodAuth));
  r = pull(ref);
  ASSERT_EQ(r.status, 0) << r.output << registry.read_log();
  Store store(tmp.path + "/root3/storage");
  EXPECT_TRUE(store.find(ref));
}

// A real credential helper (the docker-credential-helpers protocol in sh): answers
// `get` for the servers listed in its store file, logs each request it read.
constexpr const char* kHelperScript = R"(#!/bin/sh
dir=$(dirname "$0")
[ "$1" = get ] || { echo "unsupported action: $1" >&2; exit 1; }
read -r server
echo "$server" >>"$dir/requests.log"
while read -r s user secret; do
  if [ "$s" = "$server" ]; then
    printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "$server" "$user" "$secret"
    exit 0
  fi
done <"$dir/store"
echo "credentials not found in native keychain"
exit 1
)";

TEST_F(Auth, CredentialHelpers) {
  write_file_atomic(tmp.path + "/htpasswd", kHtpasswd);
  testing::Registry registry(
      tmp.path, "auth:\n  htpasswd:\n    realm: podlet-test\n    path: " + tmp.path + "/htpasswd\n");
  push(registry.host());
  std::string ref = registry.host() + "/test/bb:1";
  std::string bin = tmp.path + "/bin";
  fs::create_directories(bin);
  write_file_atomic(bin + "/docker-credential-podlettest", kHelperScript);
  fs::permissions(bin + "/docker-credential-podlettest", fs::perms(0755));
  write_file_atomic(bin + "/docker-credential-broken", "#!/bin/sh\necho 'keyring locked' >&2\nexit 4\n");
  fs::permissions(bin + "/docker-credential-broken", fs::perms(0755));
  write_file_atomic(bin + "/docker-credential-garbage", "#!/bin/sh\ncat >/dev/null\necho '<html>'\n");
  fs::permissions(bin + "/docker-credential-garbage", fs::perms(0755));
  const std::string path_env = "PATH=" + bin + ":/usr/sbin:/usr/bin:/sbin:/bin";
  fs::create_directories(home + "/.docker");
  auto config = [&](const nlohmann::json& doc) {
    write_file_atomic(home + "/.docker/config.json", doc.dump());
  };

  // credHelpers for this registry; the store has the right password.
  write_file_atomic(bin + "/store", registry.host() + " alice s3cret\n");
  config({{"credHelpers", {{registry.host(), "podlettest"}, {"other.example.com", "broken"}}}});
  auto r = pull(ref, path_env);
  ASSERT_EQ(r.status, 0) << r.output << registry.read_log();
  EXPECT_EQ(read_file(bin + "/requests.log"), registry.host() + "\n");  // the server URL, on stdin

  // credsStore for every registry; a wrong password from the helper is refused by the registry.
  config({{"credsStore", "podlettest"}, {"auths", {{registry.host(), nlohmann::json::object()}}}});
  r = pull(ref, path_env);
  EXPECT_EQ(r.status, 0) << r.output;
  write_file_atomic(bin + "/store", registry.host() + " alice wrong\n");
  r = pull(ref, path_env);
  EXPECT_NE(r.status, 0) << r.output;

  // The helper has none ("credentials not found"): an "auth" entry of the same file is used.
  write_file_atomic(bin + "/store", "elsewhere.example.com alice s3cret\n");
  r = pull(ref, path_env);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("none were found"), std::string::npos) << r.output;
  config({{"credsStore", "podlettest"}, {"auths", {{registry.host(), {{"auth", kGoodAuth}}}}}});
  r = pull(ref, path_env);
  EXPECT_EQ(r.status, 0) << r.output;

  // A failing helper, one that answers nonsense and one that is not installed: errors
  // that name the helper and the registry.
  for (const char* helper : {"broken", "garbage", "absent"}) {
    config({{"credHelpers", {{registry.host(), helper}}}});
    r = pull(ref, path_env);
    EXPECT_NE(r.status, 0) << helper;
    EXPECT_NE(r.output.find(std::string("docker-credential-") + helper), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(registry.host()), std::string::npos) << r.output;
  }
  config({{"credHelpers", {{registry.host(), "broken"}}}});
  r = pull(ref, path_env);
  EXPECT_NE(r.output.find("keyring locked"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace podlet::image
