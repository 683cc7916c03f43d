// The strict readers of index, manifest and config documents (image_docs.h).
#include <gtest/gtest.h>

#include "base/error.h"
#include "image/image_docs.h"
#include "image/platform.h"

namespace podlet::image {
namespace {

const std::string kA = "sha256:" + std::string(64, 'a');
const std::string kB = "sha256:" + std::string(64, 'b');

TEST(ImageDocs, ManifestOciAndDockerSchema2) {
  auto m =
      parse_manifest(R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
    "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":")" +
                     kA + R"(","size":7},
    "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":")" +
                     kB + R"(","size":9}]})");
  EXPECT_EQ(m.config.digest, kA);
  EXPECT_EQ(m.config.size, 7u);
  ASSERT_EQ(m.layers.size(), 1u);
  EXPECT_EQ(m.layers[0].digest, kB);
  auto oci =
      parse_manifest(R"({"schemaVersion":2,"config":{"digest":")" + kA +
                     R"("},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","digest":")" +
                     kB + R"("}]})");
  EXPECT_EQ(oci.layers[0].media_type, "application/vnd.oci.image.layer.v1.tar+zstd");
}

TEST(ImageDocs, HostileManifestsAreErrors) {
  for (const std::string& body : std::vector<std::string>{
           std::string("not json"),
           std::string("[]"),
           std::string(R"({"schemaVersion":1,"fsLayers":[]})"),
           std::string(R"({"schemaVersion":"2","config":{},"layers":[]})"),
           R"({"schemaVersion":2,"config":{"digest":"sha256:../../etc"},"layers":[]})",
           R"({"schemaVersion":2,"config":{"digest":")" + kA + R"("},"layers":{}})",
           R"({"schemaVersion":2,"config":{"digest":")" + kA + R"(","size":-1},"layers":[]})",
           R"({"schemaVersion":2,"config":{"digest":")" + kA + R"(","size":1.5},"layers":[]})",
           R"({"schemaVersion":2,"config":{"digest":")" + kA + R"("},"layers":[{"digest":")" + kB +
               R"(","mediaType":"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"}]})",
           R"({"schemaVersion":2,"config":{"digest":")" + kA + R"("},"layers":[7]})",
           std::string(kMaxImageDocSize + 1, ' '),
       })
    EXPECT_THROW(parse_manifest(body), Error) << body.substr(0, 100);
}

TEST(ImageDocs, IndexAndPlatformChoice) {
  auto index = parse_index(R"({"schemaVersion":2,"manifests":[
    {"digest":")" + kA + R"(","platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
    {"digest":")" + kB + R"(","platform":{"os":"linux","architecture":"amd64"},
     "annotations":{"org.opencontainers.image.ref.name":"1.0"}}]})");
  ASSERT_EQ(index.manifests.size(), 2u);
  EXPECT_EQ(index.manifests[1].ref_name, "1.0");
  EXPECT_EQ(select_platform(index, {"linux", "amd64", ""}).digest, kB);
  EXPECT_EQ(select_platform(index, {"linux", "arm64", "v8"}).digest, kA);
  EXPECT_EQ(select_platform(index, {"linux", "arm64", "v9"}).digest, kA);  // same arch, other variant
  try {
    select_platform(index, {"linux", "s390x", ""});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("linux/arm64/v8, linux/amd64"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_index(R"({"manifests":[{"digest":")" + kA + R"(","platform":"linux"}]})"), Error);
  EXPECT_THROW(parse_index(R"({"manifests":{}})"), Error);
}

TEST(ImageDocs, MediaTypeFromTheDocumentTheHeaderOrTheFields) {
  EXPECT_EQ(document_media_type(R"({"mediaType":"application/vnd.oci.image.index.v1+json"})", "text/plain"),
            "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(document_media_type("{}", "application/vnd.docker.distribution.manifest.list.v2+json; charset=x"),
            "application/vnd.docker.distribution.manifest.list.v2+json");
  EXPECT_EQ(document_media_type(R"({"manifests":[]})", "application/json"),
            "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(document_media_type("garbage", ""), "application/vnd.oci.image.manifest.v1+json");
}

TEST(ImageDocs, Config) {
  auto c = parse_config(R"({"created":"2024-05-06T07:08:09.5+02:00","os":"linux","architecture":"amd64",
    "config":{"Entrypoint":["/bin/sh"],"Cmd":["-c","x"],"Env":["A=1"],"WorkingDir":"/w","User":"1:2",
              "ExposedPorts":{"80/tcp":{}},"Labels":{"k":"v"}},
    "rootfs":{"type":"layers","diff_ids":[")" +
                        kA + R"("]}})");
  EXPECT_EQ(c.created, 1714979289 - 7200);
  EXPECT_EQ(c.diff_ids, std::vector<std::string>{kA});
  EXPECT_EQ(c.config.entrypoint, std::vector<std::string>{"/bin/sh"});
  EXPECT_EQ(c.config.user, "1:2");
  EXPECT_EQ(c.config.exposed_ports, std::vector<std::string>{"80/tcp"});
  EXPECT_THROW(parse_config(R"({"rootfs":{"diff_ids":["sha256:zz"]}})"), Error);
  EXPECT_THROW(parse_config(R"({"rootfs":{"diff_ids":"x"}})"), Error);
  EXPECT_THROW(parse_config(R"({"os":7,"rootfs":{"diff_ids":[]}})"), Error);
  EXPECT_THROW(parse_config(R"({})"), Error);
  // Wrongly typed runtime fields are ignored, not fatal (as Docker does).
  auto lenient = parse_config(R"({"config":{"Cmd":"not a list","Env":[1,"B=2"]},"rootfs":{"diff_ids":[]}})");
  EXPECT_TRUE(lenient.config.cmd.empty());
  EXPECT_EQ(lenient.config.env, std::vector<std::string>{"B=2"});
}

}  // namespace
}  // namespace podlet::image
