// image load of archives written by podlet-independent tools (skopeo from Debian),
// and the CLI around the store: import, ls, inspect, rm of an image a pod uses.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "base/error.h"
#include "fixtures.h"
#include "image/store.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

using testing::run;
using testing::TarBuilder;
using testing::TmpfsDir;

class Load : public ::testing::Test {
 protected:
  TmpfsDir tmp;
  std::string layout = tmp.path + "/layout";
  std::string root = tmp.path + "/root";
  std::string podlet = std::string(PODLET_BINARY) + " --root " + root + " --runroot " + tmp.path + "/run";
  void SetUp() override {
    TarBuilder extra;
    extra.dir("srv").file("srv/index.html", "hello\n").file(".wh.tmp", "");
    testing::write_oci_layout(layout, {testing::busybox_rootfs(), extra}, "localhost/bb:1");
  }
  void check_busybox(const Image& img) {
    ASSERT_EQ(img.layer_dirs.size(), 2u);
    EXPECT_TRUE(fs::exists(img.layer_dirs[1] + "/bin/busybox"));
    EXPECT_TRUE(fs::exists(img.layer_dirs[0] + "/srv/index.html"));
    EXPECT_EQ(img.config.entrypoint, (std::vector<std::string>{"/bin/sh", "-c"}));
    EXPECT_EQ(img.config.cmd, std::vector<std::string>{"echo $GREETING"});
    EXPECT_EQ(img.config.working_dir, "/tmp");
    EXPECT_EQ(img.config.user, "nobody");
    EXPECT_EQ(img.config.exposed_ports, std::vector<std::string>{"8080/tcp"});
  }
};

TEST_F(Load, OciLayoutDirectory) {
  Store store(root + "/storage");
  auto images = store.load(layout);
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].names, std::vector<std::string>{"localhost/bb:1"});
  check_busybox(images[0]);
}

TEST_F(Load, OciArchiveAndDockerArchiveFromSkopeo) {
  auto r = run("skopeo copy -q oci:" + layout + ":localhost/bb:1 oci-archive:" + tmp.path +
               "/bb-oci.tar:localhost/bb:oci");
  ASSERT_EQ(r.status, 0) << r.output;
  r = run("skopeo copy -q oci:" + layout + ":localhost/bb:1 docker-archive:" + tmp.path +
          "/bb-docker.tar:localhost/bb:docker");
  ASSERT_EQ(r.status, 0) << r.output;

  r = run(podlet + " image load " + tmp.path + "/bb-oci.tar");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("localhost/bb:oci"), std::string::npos) << r.output;
  r = run(podlet + " image load " + tmp.path + "/bb-docker.tar");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("localhost/bb:docker"), std::string::npos) << r.output;

  Store store(root + "/storage");
  auto oci = store.find("localhost/bb:oci");
  auto docker = store.find("localhost/bb:docker");
  ASSERT_TRUE(oci && docker);
  check_busybox(*oci);
  check_busybox(*docker);
  // Same layers whatever the transport: unpacked once, shared.
  EXPECT_EQ(oci->layer_dirs, docker->layer_dirs);
  size_t layers = 0;
  for (const auto& e : fs::directory_iterator(root + "/storage/layers")) layers += fs::is_directory(e.path());
  EXPECT_EQ(layers, 2u);
}

TEST_F(Load, CorruptBlobIsRefusedAndNothingIsCommitted) {
  // Flip the content of the biggest blob (the busybox layer) while keeping its name.
  std::string biggest;
  for (const auto& e : fs::directory_iterator(layout + "/blobs/sha256"))
    if (biggest.empty() || fs::file_size(e.path()) > fs::file_size(biggest)) biggest = e.path();
  std::string data = read_file(biggest);
  data[data.size() / 2] ^= 0x55;
  write_file_atomic(biggest, data);
  Store store(root + "/storage");
  EXPECT_THROW(store.load(layout), Error);
  EXPECT_TRUE(store.list().empty());
}

TEST_F(Load, ArchiveSymlinksCannotPointTheLoaderAtHostFiles) {
  // A docker-archive whose config "file" is a symlink to a host file.
  TarBuilder t;
  t.file("manifest.json", R"([{"Config":"config.json","RepoTags":["localhost/evil:1"],"Layers":[]}])")
      .symlink("config.json", "/etc/shadow");
  t.write(tmp.path + "/evil.tar");
  Store store(root + "/storage");
  EXPECT_THROW(store.load(tmp.path + "/evil.tar"), Error);
  if (fs::exists(root + "/storage/blobs/sha256")) {
    for (const auto& e : fs::directory_iterator(root + "/storage/blobs/sha256"))
      EXPECT_NE(read_file(e.path()), read_file("/etc/shadow"));
  }
}

TEST_F(Load, ConcurrentLoadsOfOneImageFromTwoProcesses) {
  auto a = std::async(std::launch::async, [&] { return run(podlet + " image load " + layout); });
  auto b = std::async(std::launch::async, [&] { return run(podlet + " image load " + layout); });
  auto ra = a.get(), rb = b.get();
  EXPECT_EQ(ra.status, 0) << ra.output;
  EXPECT_EQ(rb.status, 0) << rb.output;
  Store store(root + "/storage");
  auto images = store.list();
  ASSERT_EQ(images.size(), 1u);
  check_busybox(images[0]);
  EXPECT_TRUE(fs::is_empty(root + "/storage/tmp"));
}

TEST_F(Load, CliImportLsInspectAndRmOfAnImageInUse) {
  testing::busybox_rootfs().write(tmp.path + "/rootfs.tar");
  auto r = run(podlet + " image import " + tmp.path + "/rootfs.tar localhost/busybox");
  ASSERT_EQ(r.status, 0) << r.output;
  r = run(podlet + " image ls -o json");
  ASSERT_EQ(r.status, 0) << r.output;
  auto list = nlohmann::json::parse(r.output);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["Names"][0], "localhost/busybox:latest");
  r = run(podlet + " image ls");
  EXPECT_NE(r.output.find("localhost/busybox"), std::string::npos) << r.output;
  r = run(podlet + " image inspect localhost/busybox:latest");
  ASSERT_EQ(r.status, 0) << r.output;
  auto layers = nlohmann::json::parse(r.output)[0]["Layers"];

  // A pod whose container root uses the image: rm refuses it.
  fs::create_directories(tmp.path + "/run/pods/default_web");
  write_file_atomic(tmp.path + "/run/pods/default_web/app.json",
                    nlohmann::json{{"root", {{"lower_dirs", layers}}}}.dump());
  r = run(podlet + " image rm localhost/busybox");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("in use"), std::string::npos) << r.output;
  fs::remove_all(tmp.path + "/run/pods/default_web");
  r = run(podlet + " image rm localhost/busybox");
  EXPECT_EQ(r.status, 0) << r.output;
  r = run(podlet + " image inspect localhost/busybox");
  EXPECT_NE(r.status, 0);
}

TEST_F(Load, MakeBusyboxImageScript) {
  auto r = run("PODLET_ROOT=" + root + " " PODLET_SOURCE_DIR "/contrib/make-busybox-image.sh " PODLET_BINARY);
  ASSERT_EQ(r.status, 0) << r.output;
  Store store(root + "/storage");
  auto img = store.find("localhost/busybox:latest");
  ASSERT_TRUE(img);
  EXPECT_TRUE(fs::is_symlink(img->layer_dirs[0] + "/bin/sh"));
  EXPECT_NE(read_file(img->layer_dirs[0] + "/etc/passwd").find("nobody"), std::string::npos);
}

}  // namespace
}  // namespace podlet::image
