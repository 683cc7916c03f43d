#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "base/atomic_file.h"
#include "base/error.h"
#include "image/credential_helper.h"
#include "image/registry_auth.h"
#include "image/registry_client.h"
#include "tar_builder.h"

namespace podlet::image {
namespace {

TEST(WwwAuthenticate, ParsesBearerAndBasicChallenges) {
  auto c = parse_www_authenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull")");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->scheme, "Bearer");
  EXPECT_EQ(c->realm, "https://auth.docker.io/token");
  EXPECT_EQ(c->service, "registry.docker.io");
  EXPECT_EQ(c->scope, "repository:library/busybox:pull");
  auto b = parse_www_authenticate(R"(Basic realm="Registry Realm")");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->scheme, "Basic");
  EXPECT_EQ(b->realm, "Registry Realm");
  EXPECT_FALSE(parse_www_authenticate(""));
}

// Points HOME and the auth-file variables at a temporary directory for one test.
class Credentials : public ::testing::Test {
 protected:
  testing::TempDir home;
  void SetUp() override {
    setenv("HOME", home.path.c_str(), 1);
    for (const char* v : {"REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "DOCKER_CONFIG"})
      unsetenv(v);
  }
};

TEST_F(Credentials, FromDockerConfigAndContainersAuthJson) {
  std::filesystem::create_directories(home.path + "/.docker");
  // "alice:s3cret" and "bob:pw"
  write_file_atomic(home.path + "/.docker/config.json",
                    R"({"auths":{"https://index.docker.io/v1/":{"auth":"YWxpY2U6czNjcmV0"},)"
                    R"("reg.example.com:5000":{"auth":"Ym9iOnB3"}}})");
  auto c = find_credentials("docker.io");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->password, "s3cret");
  EXPECT_EQ(find_credentials("reg.example.com:5000")->username, "bob");
  EXPECT_FALSE(find_credentials("quay.io"));
  // containers' auth.json comes first.
  std::filesystem::create_directories(home.path + "/.config/containers");
  write_file_atomic(home.path + "/.config/containers/auth.json",
                    R"({"auths":{"docker.io":{"auth":"Ym9iOnB3"}}})");
  EXPECT_EQ(find_credentials("docker.io")->username, "bob");
  setenv("REGISTRY_AUTH_FILE", (home.path + "/missing.json").c_str(), 1);
  EXPECT_EQ(find_credentials("docker.io")->username, "bob");
}

TEST_F(Credentials, OrderIsAuthFileThenRuntimeDirThenConfigThenDocker) {
  std::filesystem::create_directories(home.path + "/run/containers");
  std::filesystem::create_directories(home.path + "/.docker");
  // "carol:1", "dave:2", "erin:3"
  write_file_atomic(home.path + "/run/containers/auth.json",
                    R"({"auths":{"quay.io":{"auth":"Y2Fyb2w6MQ=="}}})");
  write_file_atomic(home.path + "/.docker/config.json", R"({"auths":{"quay.io":{"auth":"ZGF2ZToy"}}})");
  write_file_atomic(home.path + "/explicit.json", R"({"auths":{"quay.io":{"auth":"ZXJpbjoz"}}})");
  EXPECT_EQ(find_credentials("quay.io")->username, "dave");
  setenv("XDG_RUNTIME_DIR", (home.path + "/run").c_str(), 1);
  EXPECT_EQ(find_credentials("quay.io")->username, "carol");
  setenv("REGISTRY_AUTH_FILE", (home.path + "/explicit.json").c_str(), 1);
  EXPECT_EQ(find_credentials("quay.io")->username, "erin");
  auto files = credential_files();
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0], home.path + "/explicit.json");
  EXPECT_EQ(files[1], home.path + "/run/containers/auth.json");
  EXPECT_EQ(files[3], home.path + "/.docker/config.json");
  // Broken files and entries are skipped, not fatal.
  write_file_atomic(home.path + "/explicit.json", "{not json");
  write_file_atomic(home.path + "/run/containers/auth.json", R"({"auths":{"quay.io":{"auth":"!!"}}})");
  EXPECT_EQ(find_credentials("quay.io")->username, "dave");
}

TEST(CredentialHelper, ParsesTheProtocolsAnswerDefensively) {
  auto c = parse_credential_helper_output("pass", "quay.io",
                                          R"({"ServerURL":"quay.io","Username":"alice","Secret":"s3cret"})");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->password, "s3cret");
  EXPECT_TRUE(c->identity_token.empty());
  // "<token>": the secret is an identity token.
  c = parse_credential_helper_output("gcr", "gcr.io", R"({"Username":"<token>","Secret":"refresh"})");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->identity_token, "refresh");
  EXPECT_TRUE(c->username.empty());
  // No secret: no credentials.
  EXPECT_FALSE(parse_credential_helper_output("pass", "quay.io", R"({"ServerURL":"quay.io"})"));
  for (const char* bad : {"", "<html>", "[]", "\"x\"", R"({"Username":1,"Secret":"s"})",
                          R"({"Username":"a","Secret":["s"]})", R"({"Secret":"s"})"}) {
    try {
      parse_credential_helper_output("pass", "quay.io", bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      std::string m = e.what();
      EXPECT_NE(m.find("docker-credential-pass"), std::string::npos) << m;
      EXPECT_NE(m.find("quay.io"), std::string::npos) << m;
    }
  }
}

TEST(CredentialHelper, RefusesNamesThatAreNotAHelperName) {
  EXPECT_THROW(run_credential_helper("../bin/sh", "quay.io", "quay.io"), Error);
  EXPECT_THROW(run_credential_helper("", "quay.io", "quay.io"), Error);
}

TEST(Insecure, OnlyLoopbackAndMarkedRegistriesMayUsePlainHttp) {
  RegistryOptions o;
  EXPECT_TRUE(is_insecure_registry("localhost:5000", o));
  EXPECT_TRUE(is_insecure_registry("127.0.0.1:5000", o));
  EXPECT_FALSE(is_insecure_registry("docker.io", o));
  EXPECT_FALSE(is_insecure_registry("registry.example.com", o));
  o.insecure_registries = {"registry.example.com"};
  EXPECT_TRUE(is_insecure_registry("registry.example.com", o));
  RegistryOptions off;
  off.tls_verify = false;
  EXPECT_TRUE(is_insecure_registry("quay.io", off));
}

}  // namespace
}  // namespace podlet::image
