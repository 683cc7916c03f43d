#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "base/atomic_file.h"
#include "base/error.h"
#include "image/digest.h"
#include "image/store.h"
#include "tar_builder.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

using testing::TarBuilder;
using testing::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  TempDir tmp;
  std::string tar = tmp.path + "/rootfs.tar";
  Store store{tmp.path + "/storage"};
  void SetUp() override {
    TarBuilder t;
    t.dir("./")
        .dir("bin")
        .file("bin/sh", "#!binary", 0755)
        .dir("etc")
        .file("etc/passwd", "root:x:0:0::/:/bin/sh\n");
    t.write(tar);
  }
};

TEST_F(StoreTest, ImportMakesAOneLayerImageWithARealConfigAndManifest) {
  Image img = store.import_rootfs(tar, "localhost/base");
  EXPECT_EQ(img.names, std::vector<std::string>{"localhost/base:latest"});
  ASSERT_EQ(img.layer_dirs.size(), 1u);
  EXPECT_EQ(img.layer_dirs[0].front(), '/');
  EXPECT_TRUE(fs::exists(img.layer_dirs[0] + "/bin/sh"));
  EXPECT_EQ(img.config.env,
            std::vector<std::string>{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"});
  EXPECT_EQ(img.os, "linux");
  EXPECT_GT(img.created, 0);
  EXPECT_EQ(img.size, fs::file_size(tar));
  // id and digest name real blobs: the config's digest and the manifest's.
  EXPECT_EQ(sha256_file_digest(store.blob_path(img.id)), img.id);
  auto manifest = nlohmann::json::parse(read_file(store.blob_path(img.digest)));
  EXPECT_EQ(manifest["config"]["digest"], img.id);
  EXPECT_EQ(manifest["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  auto config = nlohmann::json::parse(read_file(store.blob_path(img.id)));
  EXPECT_EQ(config["rootfs"]["diff_ids"][0], sha256_file_digest(tar));
  // The store is private to root: layers keep setuid files.
  struct stat st;
  ASSERT_EQ(stat(store.dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(StoreTest, FindsByNameIdAndPrefix) {
  Image img = store.import_rootfs(tar, "localhost/base:1");
  EXPECT_EQ(store.find("localhost/base:1")->id, img.id);
  EXPECT_EQ(store.find(img.id)->id, img.id);
  EXPECT_EQ(store.find(img.id.substr(7, 12))->id, img.id);
  EXPECT_EQ(store.find("localhost/base@" + img.digest)->id, img.id);
  EXPECT_FALSE(store.find("localhost/base:2"));
  EXPECT_FALSE(store.find("busybox"));
  EXPECT_FALSE(store.find("Not A Name"));
}

TEST_F(StoreTest, SameContentSharesLayerAndImage) {
  Image a = store.import_rootfs(tar, "localhost/a");
  TarBuilder other;
  other.file("x", "y");
  other.write(tmp.path + "/other.tar");
  Image b = store.import_rootfs(tmp.path + "/other.tar", "localhost/b");
  EXPECT_NE(a.layer_dirs, b.layer_dirs);
  EXPECT_EQ(store.list().size(), 2u);
  // A name belongs to one image: re-importing moves it.
  Image a2 = store.import_rootfs(tmp.path + "/other.tar", "localhost/a");
  EXPECT_EQ(store.find("localhost/a")->layer_dirs, b.layer_dirs);
  EXPECT_TRUE(store.find(a.id)->names.empty());
  (void)a2;
}

TEST_F(StoreTest, RemoveUntagsThenRemovesAndRefusesImagesInUse) {
  Image img = store.import_rootfs(tar, "localhost/a");
  store.tag("localhost/a", "localhost/b");
  EXPECT_EQ(store.find(img.id)->names.size(), 2u);
  store.remove("localhost/b");
  EXPECT_EQ(store.find(img.id)->names, std::vector<std::string>{"localhost/a:latest"});
  EXPECT_THROW(store.remove("localhost/a", [&](const Image& i) { return i.id == img.id; }), Error);
  EXPECT_TRUE(store.find("localhost/a"));
  store.remove("localhost/a", [](const Image&) { return false; });
  EXPECT_FALSE(store.find(img.id));
  EXPECT_FALSE(fs::exists(img.layer_dirs[0]));
  EXPECT_TRUE(fs::is_empty(store.dir() + "/blobs/sha256"));
  EXPECT_THROW(store.remove("localhost/a"), Error);
}

TEST_F(StoreTest, PruneRemovesUnnamedImagesAndLeftovers) {
  Image a = store.import_rootfs(tar, "localhost/a");
  TarBuilder other;
  other.file("x", "y");
  other.write(tmp.path + "/other.tar");
  store.import_rootfs(tmp.path + "/other.tar", "localhost/a");  // a loses its name
  fs::create_directories(store.dir() + "/layers/.tmp-crashed/diff");
  write_file_atomic(store.dir() + "/tmp/blob.partial", "x");
  auto report = store.prune();
  EXPECT_EQ(report.removed_images, std::vector<std::string>{a.id});
  EXPECT_EQ(report.removed_layers, 1u);
  EXPECT_FALSE(fs::exists(store.dir() + "/layers/.tmp-crashed"));
  EXPECT_TRUE(fs::is_empty(store.dir() + "/tmp"));
  EXPECT_EQ(store.list().size(), 1u);
  auto in_use = [](const Image&) { return true; };
  EXPECT_TRUE(store.prune(in_use, true).removed_images.empty());
  EXPECT_EQ(store.prune({}, true).removed_images.size(), 1u);
  EXPECT_TRUE(store.list().empty());
}

TEST_F(StoreTest, ConcurrentImportsOfOneImage) {
  std::vector<std::thread> threads;
  std::vector<std::string> ids(4);
  std::vector<std::string> errors(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      try {
        Store s(store.dir());
        ids[i] = s.import_rootfs(tar, "localhost/same").id;
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(errors[i], "");
  auto images = store.list();
  // Each import writes its own config (creation time), but every one shares the single unpacked layer.
  ASSERT_FALSE(images.empty());
  size_t layers = 0;
  for (const auto& e : fs::directory_iterator(store.dir() + "/layers"))
    if (fs::is_directory(e.path())) ++layers;
  EXPECT_EQ(layers, 1u);
  EXPECT_TRUE(store.find("localhost/same"));
  size_t named = 0;
  for (const auto& img : images) named += img.names.size();
  EXPECT_EQ(named, 1u);
}

TEST_F(StoreTest, BlobsAreVerifiedOnArrival) {
  std::string wrong = "sha256:" + std::string(64, '0');
  EXPECT_THROW(store.add_blob_file(tar, wrong), Error);
  EXPECT_THROW(store.add_blob_data("abc", wrong), Error);
  EXPECT_FALSE(store.has_blob(wrong));
  EXPECT_TRUE(fs::is_empty(store.dir() + "/tmp"));
  std::string tmpfile = store.temp_path("x");
  write_file_atomic(tmpfile, "abc");
  EXPECT_THROW(store.commit_blob(tmpfile, wrong), Error);
  EXPECT_FALSE(fs::exists(tmpfile));
}

TEST_F(StoreTest, LayerWhoseContentDoesNotMatchTheConfigIsRefused) {
  std::string layer = store.add_blob_file(tar);
  std::string config = store.add_blob_data(nlohmann::json{
      {"os", "linux"}, {"rootfs", {{"type", "layers"}, {"diff_ids", {"sha256:" + std::string(64, 'b')}}}}}
                                               .dump());
  nlohmann::json manifest{
      {"schemaVersion", 2},
      {"config", {{"digest", config}, {"mediaType", "application/vnd.oci.image.config.v1+json"}}},
      {"layers", {{{"digest", layer}, {"mediaType", "application/vnd.oci.image.layer.v1.tar"}}}}};
  std::string m = store.add_blob_data(manifest.dump());
  try {
    store.commit_image(m, {"localhost/bad"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("config says"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(store.find("localhost/bad"));
  EXPECT_FALSE(store.has_layer("sha256:" + std::string(64, 'b')));
  size_t layers = 0;
  for (const auto& e : fs::directory_iterator(store.dir() + "/layers"))
    if (fs::is_directory(e.path())) ++layers;
  EXPECT_EQ(layers, 0u);
}

}  // namespace
}  // namespace podlet::image
