#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "base/error.h"
#include "image/registries_conf.h"

namespace podlet::image {
namespace {

std::vector<std::string> names(const std::vector<Reference>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.string());
  return out;
}

TEST(RegistriesConf, DefaultIsDockerHubWithLibraryForSingleNames) {
  RegistriesConf conf;
  EXPECT_EQ(names(resolve_name("busybox", conf)),
            std::vector<std::string>{"docker.io/library/busybox:latest"});
  EXPECT_EQ(names(resolve_name("team/app:1", conf)), std::vector<std::string>{"docker.io/team/app:1"});
  // Qualified names are never searched.
  EXPECT_EQ(names(resolve_name("quay.io/x/y:2", conf)), std::vector<std::string>{"quay.io/x/y:2"});
  EXPECT_EQ(names(resolve_name("localhost/busybox", conf)),
            std::vector<std::string>{"localhost/busybox:latest"});
}

TEST(RegistriesConf, SearchRegistriesAliasesInsecureAndBlocked) {
  auto conf = parse_registries_conf(R"(
unqualified-search-registries = ["quay.io", "docker.io"]
short-name-mode = "permissive"

[[registry]]
location = "reg.internal:5000"
insecure = true

[[registry]]
prefix = "evil.example.com/team"
location = "evil.example.com/team"
blocked = true

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
)",
                                    "test.conf");
  EXPECT_EQ(names(resolve_name("busybox:1", conf)),
            (std::vector<std::string>{"quay.io/busybox:1", "docker.io/library/busybox:1"}));
  EXPECT_EQ(names(resolve_name("fedora:39", conf)),
            std::vector<std::string>{"registry.fedoraproject.org/fedora:39"});
  std::string digest = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(names(resolve_name("fedora@" + digest, conf)),
            std::vector<std::string>{"registry.fedoraproject.org/fedora@" + digest});
  EXPECT_TRUE(registry_listed("reg.internal:5000", conf.insecure));
  EXPECT_FALSE(registry_listed("reg.internal", conf.insecure));
  EXPECT_TRUE(registry_listed("evil.example.com", conf.blocked));
  EXPECT_TRUE(registry_listed("a.example.com", {"*.example.com"}));
  EXPECT_FALSE(registry_listed("example.com", {"*.example.com"}));
}

TEST(RegistriesConf, DropInsOverrideAndAccumulate) {
  auto conf = parse_registries_conf(
      "unqualified-search-registries = [\"quay.io\"]\n[aliases]\n\"a\" = \"quay.io/a\"\n", "main.conf");
  conf = parse_registries_conf("[aliases]\n\"b\" = \"docker.io/library/b\"\n", "shortnames.conf", conf);
  EXPECT_EQ(conf.search_registries, std::vector<std::string>{"quay.io"});
  EXPECT_EQ(conf.aliases.size(), 2u);
  conf = parse_registries_conf("unqualified-search-registries = []\n", "empty.conf", conf);
  EXPECT_THROW(resolve_name("nothere", conf), Error);
  EXPECT_EQ(names(resolve_name("a", conf)), std::vector<std::string>{"quay.io/a:latest"});
}

TEST(RegistriesConf, Version1Tables) {
  auto conf = parse_registries_conf(R"(
[registries.search]
registries = ["registry.example.com"]
[registries.insecure]
registries = ["plain.example.com:5000"]
[registries.block]
registries = ["blocked.example.com"]
)",
                                    "v1.conf");
  EXPECT_EQ(names(resolve_name("x", conf)), std::vector<std::string>{"registry.example.com/x:latest"});
  EXPECT_TRUE(registry_listed("plain.example.com:5000", conf.insecure));
  EXPECT_TRUE(registry_listed("blocked.example.com", conf.blocked));
}

TEST(RegistriesConf, BrokenFilesAreErrorsNamingTheFile) {
  try {
    parse_registries_conf("unqualified-search-registries = [\"quay.io\"\n", "broken.conf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.conf"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_registries_conf("unqualified-search-registries = \"quay.io\"\n", "t.conf"), Error);
  EXPECT_THROW(parse_registries_conf("[[registry]]\nlocation = \"x\"\ninsecure = \"yes\"\n", "t.conf"),
               Error);
}

TEST(RegistriesConf, DebianShortNamesFileParses) {
  // The aliases Debian ships (golang-github-containers-image), when present on this machine.
  const char* path = "/etc/containers/registries.conf.d/shortnames.conf";
  if (::access(path, R_OK) != 0) GTEST_SKIP() << path << " not installed";
  setenv("CONTAINERS_REGISTRIES_CONF", path, 1);
  auto conf = load_registries_conf();
  unsetenv("CONTAINERS_REGISTRIES_CONF");
  EXPECT_GT(conf.aliases.size(), 10u);
}

}  // namespace
}  // namespace podlet::image
