// image pull against a real registry (Debian's docker-registry on loopback), with
// images pushed by skopeo: by tag, by digest, through a manifest list, a layer
// whose content does not match its digest, and two pulls of one image at once.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "base/error.h"
#include "fixtures.h"
#include "image/platform.h"
#include "image/store.h"
#include "registry_fixture.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

using testing::run;
using testing::TarBuilder;
using testing::TmpfsDir;

// Three layers: busybox, then content, then a layer with whiteouts of the second.
std::vector<TarBuilder> test_layers() {
  TarBuilder content;
  content.dir("srv").file("srv/index.html", "hello\n").dir("junk").file("junk/a", "1").file("gone", "x");
  TarBuilder whiteouts;
  whiteouts.file(".wh.gone", "").file("junk/.wh..wh..opq", "").file("junk/b", "2");
  return {testing::busybox_rootfs(), content, whiteouts};
}

class Pull : public ::testing::Test {
 protected:
  TmpfsDir tmp;
  testing::Registry registry{tmp.path};
  std::string layout = tmp.path + "/layout";
  std::string root = tmp.path + "/root";
  std::string podlet = std::string(PODLET_BINARY) + " --root " + root;
  nlohmann::json amd64;

  void SetUp() override {
    amd64 = testing::add_oci_image(layout, test_layers());
    testing::write_oci_index(layout, {amd64}, "bb");
  }
  void push(const std::string& repo_tag, bool all = false) {
    auto r =
        run("skopeo copy -q " + std::string(all ? "--all " : "") + "--dest-tls-verify=false oci:" + layout +
            ":bb docker://" + registry.host() + "/" + repo_tag);
    ASSERT_EQ(r.status, 0) << r.output;
  }
  void check(const Image& img) {
    ASSERT_EQ(img.layer_dirs.size(), 3u);
    EXPECT_TRUE(fs::exists(img.layer_dirs[2] + "/bin/busybox"));
    EXPECT_TRUE(fs::exists(img.layer_dirs[1] + "/srv/index.html"));
    EXPECT_TRUE(fs::exists(fs::symlink_status(img.layer_dirs[0] + "/gone")));  // the whiteout device
    EXPECT_EQ(img.config.cmd, std::vector<std::string>{"echo $GREETING"});
    EXPECT_EQ(img.architecture, "amd64");
  }
  PullOptions quiet() {
    PullOptions o;
    o.quiet = true;
    return o;
  }
};

TEST_F(Pull, ByTagThroughTheCli) {
  push("test/bb:1");
  auto r = run(podlet + " image pull " + registry.host() + "/test/bb:1");
  ASSERT_EQ(r.status, 0) << r.output << registry.read_log();
  Store store(root + "/storage");
  auto img = store.find(registry.host() + "/test/bb:1");
  ASSERT_TRUE(img);
  check(*img);
  EXPECT_NE(r.output.find("Copied blob"), std::string::npos) << r.output;  // plain lines: not a tty
  // A second pull reuses everything.
  r = run(podlet + " image pull " + registry.host() + "/test/bb:1");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output.find("Copied blob"), std::string::npos) << r.output;
}

TEST_F(Pull, ByDigest) {
  push("test/bb:1");
  Store store(root + "/storage");
  std::string digest = amd64["digest"];
  Image img = store.pull(registry.host() + "/test/bb@" + digest, quiet());
  check(img);
  EXPECT_EQ(img.digest, digest);
  EXPECT_TRUE(store.find(registry.host() + "/test/bb@" + digest));
  EXPECT_THROW(store.pull(registry.host() + "/test/bb@sha256:" + std::string(64, 'e'), quiet()), Error);
}

TEST_F(Pull, ThroughAManifestListToTheHostPlatform) {
  if (host_platform().architecture != "amd64") GTEST_SKIP() << "test images are amd64";
  TarBuilder arm;
  arm.file("arm-only", "x");
  auto arm64 = testing::add_oci_image(layout, {arm}, "arm64");
  testing::write_oci_index(layout, {arm64, amd64}, "bb");
  push("test/multi:1", true);
  Store store(root + "/storage");
  Image img = store.pull(registry.host() + "/test/multi:1", quiet());
  check(img);
  EXPECT_EQ(img.manifest_digest, amd64["digest"]);
  EXPECT_NE(img.digest, img.manifest_digest);  // the list's digest
  EXPECT_TRUE(store.find(registry.host() + "/test/multi@" + img.digest));
}

TEST_F(Pull, LayerWithAWrongDigestIsRefusedAndNothingIsCommitted) {
  push("test/bb:1");
  // Corrupt the second layer's blob in the registry's storage (same size, same name).
  std::string digest = nlohmann::json::parse(read_file(
      layout + "/blobs/sha256/" + amd64["digest"].get<std::string>().substr(7)))["layers"][1]["digest"];
  std::string hex = digest.substr(7);
  std::string data_path =
      registry.storage() + "/docker/registry/v2/blobs/sha256/" + hex.substr(0, 2) + "/" + hex + "/data";
  std::string data = read_file(data_path);
  data[data.size() / 2] ^= 0x5a;
  write_file_atomic(data_path, data);
  Store store(root + "/storage");
  try {
    store.pull(registry.host() + "/test/bb:1", quiet());
    FAIL() << "corrupt layer accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(digest), std::string::npos) << e.what();
  }
  EXPECT_TRUE(store.list().empty());
  EXPECT_FALSE(store.has_blob(digest));
  EXPECT_TRUE(fs::is_empty(root + "/storage/tmp"));
}

TEST_F(Pull, TwoPullsOfOneImageAtOnce) {
  push("test/bb:1");
  auto a = std::async(std::launch::async,
                      [&] { return run(podlet + " image pull -q " + registry.host() + "/test/bb:1"); });
  auto b = std::async(std::launch::async,
                      [&] { return run(podlet + " image pull -q " + registry.host() + "/test/bb:1"); });
  auto ra = a.get(), rb = b.get();
  EXPECT_EQ(ra.status, 0) << ra.output;
  EXPECT_EQ(rb.status, 0) << rb.output;
  Store store(root + "/storage");
  ASSERT_EQ(store.list().size(), 1u);
  check(store.list()[0]);
  size_t layers = 0;
  for (const auto& e : fs::directory_iterator(root + "/storage/layers")) layers += fs::is_directory(e.path());
  EXPECT_EQ(layers, 3u);
}

TEST_F(Pull, UnknownImageAndUnreachableRegistry) {
  Store store(root + "/storage");
  EXPECT_THROW(store.pull(registry.host() + "/test/none:1", quiet()), Error);
  EXPECT_THROW(store.pull("127.0.0.1:1/test/none:1", quiet()), Error);
  EXPECT_TRUE(store.list().empty());
}

TEST_F(Pull, PullPolicies) {
  push("test/bb:1");
  Store store(root + "/storage");
  std::string ref = registry.host() + "/test/bb:1";
  EXPECT_THROW(store.ensure_image(ref, PullPolicy::kNever), Error);
  Image img = store.ensure_image(ref, PullPolicy::kIfNotPresent, quiet());
  EXPECT_EQ(store.ensure_image(ref, PullPolicy::kNever).id, img.id);
  EXPECT_EQ(parse_pull_policy("Always"), PullPolicy::kAlways);
  EXPECT_EQ(parse_pull_policy("IfNotPresent"), PullPolicy::kIfNotPresent);
  EXPECT_EQ(parse_pull_policy("Never"), PullPolicy::kNever);
  EXPECT_THROW(parse_pull_policy("always"), Error);
}

}  // namespace
}  // namespace podlet::image
