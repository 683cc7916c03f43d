// Whiteouts and cross-layer escapes, checked through a real overlayfs mount of
// the unpacked layers (root only; everything lives on a private tmpfs).
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <filesystem>

#include "base/error.h"
#include "base/scope_guard.h"
#include "fixtures.h"
#include "image/layer_unpack.h"
#include "image/store.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

using testing::TarBuilder;
using testing::TmpfsDir;

class Whiteouts : public ::testing::Test {
 protected:
  TmpfsDir tmp;
  std::string outside = tmp.path + "/outside";
  void SetUp() override { fs::create_directories(outside); }

  std::string unpack(const std::string& name, const TarBuilder& t) {
    std::string dir = tmp.path + "/" + name;
    fs::create_directories(dir);
    t.write(dir + ".tar");
    unpack_layer(dir + ".tar", dir);
    return dir;
  }
  // Mounts lower dirs (top-most first) read-only and runs f on the merged path.
  template <typename F>
  void with_overlay(const std::vector<std::string>& lowers, F f) {
    std::string merged = tmp.path + "/merged";
    fs::create_directories(merged);
    std::string opts = "lowerdir=";
    for (size_t i = 0; i < lowers.size(); ++i) opts += (i ? ":" : "") + lowers[i];
    ASSERT_EQ(::mount("overlay", merged.c_str(), "overlay", MS_RDONLY, opts.c_str()), 0) << strerror(errno);
    ScopeGuard umount(
        "overlay " + merged, [&] { ::umount2(merged.c_str(), MNT_DETACH); },
        [](const std::string& m) { ADD_FAILURE() << m; });
    f(merged);
  }
};

TEST_F(Whiteouts, BecomeOverlayWhiteoutsThatHideLowerContent) {
  TarBuilder base;
  base.dir("a").file("a/old", "1").dir("b").file("b/f", "2").file("c", "3").dir("d").file("d/keep", "4");
  TarBuilder top;
  top.file(".wh.b", "")
      .file("a/.wh..wh..opq", "")
      .file("a/new", "5")
      .file(".wh.c", "")
      .dir("c")
      .file("c/x", "6");
  std::string lower = unpack("base", base), upper = unpack("top", top);
  struct stat st;
  ASSERT_EQ(lstat((upper + "/b").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  char v[4];
  EXPECT_EQ(getxattr((upper + "/a").c_str(), "trusted.overlay.opaque", v, sizeof v), 1);
  EXPECT_FALSE(fs::exists(upper + "/.wh.b"));
  with_overlay({upper, lower}, [&](const std::string& m) {
    EXPECT_FALSE(fs::exists(m + "/b"));
    EXPECT_FALSE(fs::exists(m + "/a/old"));
    EXPECT_TRUE(fs::exists(m + "/a/new"));
    EXPECT_TRUE(fs::is_directory(m + "/c"));
    EXPECT_TRUE(fs::exists(m + "/c/x"));
    EXPECT_TRUE(fs::exists(m + "/d/keep"));
  });
  // Nothing was deleted anywhere: the lower layer is intact.
  EXPECT_TRUE(fs::exists(lower + "/b/f"));
  EXPECT_TRUE(fs::exists(lower + "/a/old"));
}

TEST_F(Whiteouts, NeverReachOutsideTheLayer) {
  std::string victim = outside + "/victim";
  testing::run("touch " + victim);
  TarBuilder t;
  t.symlink("out", outside).file("out/.wh.victim", "");
  EXPECT_THROW(unpack("l1", t), Error);
  TarBuilder dotdot;
  dotdot.file("../outside/.wh.victim", "");
  EXPECT_THROW(unpack("l2", dotdot), Error);
  TarBuilder opaque;
  opaque.symlink("out", outside).file("out/.wh..wh..opq", "");
  EXPECT_THROW(unpack("l3", opaque), Error);
  EXPECT_TRUE(fs::exists(victim));
  char v[4];
  EXPECT_LT(getxattr(outside.c_str(), "trusted.overlay.opaque", v, sizeof v), 0);
}

TEST_F(Whiteouts, ForgedOverlayXattrsAreDropped) {
  TarBuilder t;
  t.dir("d").file("d/f", "x", 0644, 0, 0, {{"trusted.overlay.redirect", "/etc"}});
  std::string l = unpack("l", t);
  char v[64];
  EXPECT_LT(getxattr((l + "/d/f").c_str(), "trusted.overlay.redirect", v, sizeof v), 0);
}

TEST_F(Whiteouts, SymlinkInALowerLayerDoesNotRedirectAnUpperLayer) {
  // Layer 1 plants etc -> /outside; layer 2 writes etc/passwd. Unpacked separately,
  // layer 2 gets its own etc directory and nothing lands in /outside.
  TarBuilder l1;
  l1.symlink("etc", outside);
  TarBuilder l2;
  l2.dir("etc").file("etc/passwd", "root:x:0:0::/:/bin/sh\n");
  std::string d1 = unpack("l1", l1), d2 = unpack("l2", l2);
  EXPECT_TRUE(fs::is_empty(outside));
  EXPECT_TRUE(fs::is_regular_file(d2 + "/etc/passwd"));
  with_overlay({d2, d1}, [&](const std::string& m) {
    EXPECT_FALSE(fs::is_symlink(m + "/etc"));
    EXPECT_TRUE(fs::is_regular_file(m + "/etc/passwd"));
  });
  // Parents a layer does not list are created as directories of that layer.
  TarBuilder l3;
  l3.file("etc/shadow", "x");
  std::string d3 = unpack("l3", l3);
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(d3 + "/etc")));
  EXPECT_TRUE(fs::is_empty(outside));
}

TEST_F(Whiteouts, SetuidFilesAreKeptInAPrivateStore) {
  std::string tar = tmp.path + "/suid.tar";
  TarBuilder t;
  t.dir("bin").file("bin/su", "binary", 04755, 0, 0).file("bin/owned", "x", 0640, 1000, 1000);
  t.write(tar);
  Store store(tmp.path + "/storage");
  Image img = store.import_rootfs(tar, "localhost/suid");
  struct stat st;
  ASSERT_EQ(stat((img.layer_dirs[0] + "/bin/su").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 04755u);
  ASSERT_EQ(stat((img.layer_dirs[0] + "/bin/owned").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 1000u);
  ASSERT_EQ(stat(store.dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

}  // namespace
}  // namespace podlet::image
