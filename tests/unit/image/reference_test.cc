#include <gtest/gtest.h>

#include "base/error.h"
#include "image/digest.h"
#include "image/reference.h"

namespace podlet::image {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

TEST(Reference, NormalizesLikeDockerAndPodman) {
  EXPECT_EQ(normalize_reference("busybox"), "docker.io/library/busybox:latest");
  EXPECT_EQ(normalize_reference("nginx:1.25"), "docker.io/library/nginx:1.25");
  EXPECT_EQ(normalize_reference("team/app"), "docker.io/team/app:latest");
  EXPECT_EQ(normalize_reference("docker.io/busybox"), "docker.io/library/busybox:latest");
  EXPECT_EQ(normalize_reference("index.docker.io/library/busybox:1"), "docker.io/library/busybox:1");
  EXPECT_EQ(normalize_reference("localhost/x"), "localhost/x:latest");
  EXPECT_EQ(normalize_reference("127.0.0.1:5000/a/b:v1"), "127.0.0.1:5000/a/b:v1");
  EXPECT_EQ(normalize_reference("registry.example.com/team/app@" + kDigest),
            "registry.example.com/team/app@" + kDigest);
  EXPECT_EQ(normalize_reference("quay.io/x/y:t@" + kDigest), "quay.io/x/y:t@" + kDigest);
}

TEST(Reference, SplitsIntoParts) {
  auto r = parse_reference("localhost:5000/ns/app:2.0");
  EXPECT_EQ(r.registry, "localhost:5000");
  EXPECT_EQ(r.repository, "ns/app");
  EXPECT_EQ(r.tag, "2.0");
  EXPECT_EQ(r.name(), "localhost:5000/ns/app");
}

TEST(Reference, RejectsInvalidNames) {
  for (const char* bad : {"", "UPPER", "a//b", "a:", "a@sha256:123", "-a", "a/", "a/b:c/d", "a:-tag"})
    EXPECT_THROW(parse_reference(bad), Error) << bad;
}

TEST(Digest, Sha256OfKnownInput) {
  EXPECT_EQ(sha256_digest("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(is_digest(kDigest));
  EXPECT_FALSE(is_digest("sha256:ABC"));
  EXPECT_THROW(digest_hex("sha512:" + std::string(64, 'a')), Error);
}

}  // namespace
}  // namespace podlet::image
