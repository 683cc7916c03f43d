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

// Podman prompts in enforcing mode when a short name has several candidates; podlet
// has no prompt, so it refuses, naming the candidates and the file that set the mode.
TEST(RegistriesConf, EnforcingShortNameModeRefusesAmbiguousNames) {
  auto conf = parse_registries_conf("unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n",
                                    "/etc/containers/registries.conf");
  conf = parse_registries_conf("short-name-mode = \"enforcing\"\n[aliases]\n\"app\" = \"quay.io/team/app\"\n",
                               "/etc/containers/registries.conf.d/mode.conf", conf);
  EXPECT_EQ(conf.short_name_mode, "enforcing");
  try {
    resolve_name("busybox:1", conf);
    FAIL() << "an ambiguous short name resolved in enforcing mode";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("quay.io/busybox:1, docker.io/library/busybox:1"), std::string::npos) << m;
    EXPECT_NE(m.find("/etc/containers/registries.conf.d/mode.conf"), std::string::npos) << m;
    EXPECT_NE(m.find("unqualified-search-registries in /etc/containers/registries.conf)"), std::string::npos)
        << m;
    EXPECT_NE(m.find("enforcing"), std::string::npos) << m;
  }
  // An alias, a single search registry and qualified names are not ambiguous.
  EXPECT_EQ(names(resolve_name("app:2", conf)), std::vector<std::string>{"quay.io/team/app:2"});
  EXPECT_EQ(names(resolve_name("quay.io/x/y", conf)), std::vector<std::string>{"quay.io/x/y:latest"});
  auto single = parse_registries_conf("unqualified-search-registries = [\"quay.io\"]\n", "one.conf", conf);
  EXPECT_EQ(names(resolve_name("busybox", single)), std::vector<std::string>{"quay.io/busybox:latest"});

  // permissive and disabled try every candidate in order, as before.
  for (const char* mode : {"permissive", "disabled"}) {
    auto c = parse_registries_conf(std::string("short-name-mode = \"") + mode + "\"\n", "m.conf", conf);
    EXPECT_EQ(names(resolve_name("busybox:1", c)),
              (std::vector<std::string>{"quay.io/busybox:1", "docker.io/library/busybox:1"}))
        << mode;
  }
  // Unset: permissive.
  EXPECT_EQ(RegistriesConf{}.short_name_mode, "permissive");
  try {
    parse_registries_conf("short-name-mode = \"strict\"\n", "bad.conf");
    FAIL() << "an unknown short-name-mode was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.conf"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("strict"), std::string::npos) << e.what();
  }
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
