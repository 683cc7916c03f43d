// Unpacking hostile layers: each case of the issue with a crafted tar. These run
// without privileges; whiteouts (mknod, trusted.* xattrs) are in the integration tests.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/atomic_file.h"
#include "base/error.h"
#include "image/digest.h"
#include "image/layer_unpack.h"
#include "tar_builder.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

using testing::TarBuilder;
using testing::TempDir;

class Unpack : public ::testing::Test {
 protected:
  TempDir tmp;
  std::string layer = tmp.path + "/layer";
  std::string outside = tmp.path + "/outside";
  std::string blob = tmp.path + "/blob";
  void SetUp() override {
    fs::create_directories(layer);
    fs::create_directories(outside);
  }
  UnpackResult unpack(const TarBuilder& t, TarBuilder::Compression c = TarBuilder::Compression::kNone,
                      UnpackLimits limits = {}) {
    t.write(blob, c);
    return unpack_layer(blob, layer, limits);
  }
  bool outside_empty() const { return fs::is_empty(outside); }
};

TEST_F(Unpack, RegularTreeWithMetadataAndDiffId) {
  TarBuilder t;
  t.dir("./").dir("etc", 0755).file("etc/passwd", "root:x:0:0::/:/bin/sh\n", 0640).symlink("bin", "usr/bin");
  t.file("usr/bin/tool", "#!/bin/sh\n", 0755).hardlink("usr/bin/tool2", "usr/bin/tool");
  auto r = unpack(t);
  EXPECT_EQ(r.diff_id, sha256_digest(t.bytes()));
  EXPECT_EQ(read_file(layer + "/etc/passwd"), "root:x:0:0::/:/bin/sh\n");
  EXPECT_EQ(fs::status(layer + "/etc/passwd").permissions(), fs::perms(0640));
  EXPECT_EQ(fs::read_symlink(layer + "/bin"), "usr/bin");
  struct stat a, b;
  ASSERT_EQ(stat((layer + "/usr/bin/tool").c_str(), &a), 0);
  ASSERT_EQ(stat((layer + "/usr/bin/tool2").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  EXPECT_EQ(a.st_mtime, 1700000000);
}

TEST_F(Unpack, GzipAndZstdLayersHaveTheUncompressedDiffId) {
  TarBuilder t;
  t.file("a", std::string(100000, 'x'));
  for (auto c : {TarBuilder::Compression::kGzip, TarBuilder::Compression::kZstd}) {
    fs::remove_all(layer);
    fs::create_directories(layer);
    auto r = unpack(t, c);
    EXPECT_EQ(r.diff_id, sha256_digest(t.bytes()));
    EXPECT_EQ(fs::file_size(layer + "/a"), 100000u);
  }
}

TEST_F(Unpack, RefusesDotDotEntries) {
  TarBuilder t;
  t.file("../outside/evil", "x");
  EXPECT_THROW(unpack(t), Error);
  TarBuilder t2;
  t2.file("a/../../outside/evil", "x");
  EXPECT_THROW(unpack(t2), Error);
  EXPECT_TRUE(outside_empty());
}

TEST_F(Unpack, RefusesAbsoluteNames) {
  TarBuilder t;
  t.file(outside + "/evil", "x");
  EXPECT_THROW(unpack(t), Error);
  EXPECT_TRUE(outside_empty());
}

TEST_F(Unpack, NeverWritesThroughASymlinkedDirectory) {
  TarBuilder t;
  t.symlink("escape", outside).file("escape/evil", "x");
  EXPECT_THROW(unpack(t), Error);
  TarBuilder rel;
  rel.symlink("up", "../outside").file("up/evil", "x");
  EXPECT_THROW(unpack(rel), Error);
  EXPECT_TRUE(outside_empty());
}

TEST_F(Unpack, ReplacesASymlinkInsteadOfWritingThroughIt) {
  std::ofstream(outside + "/victim") << "original";
  TarBuilder t;
  t.symlink("victim", outside + "/victim").file("victim", "replaced");
  unpack(t);
  EXPECT_EQ(read_file(outside + "/victim"), "original");
  EXPECT_FALSE(fs::is_symlink(layer + "/victim"));
  EXPECT_EQ(read_file(layer + "/victim"), "replaced");
}

TEST_F(Unpack, HardlinksMustStayInTheLayer) {
  std::ofstream(outside + "/secret") << "secret";
  TarBuilder abs;
  abs.hardlink("stolen", outside + "/secret");
  EXPECT_THROW(unpack(abs), Error);
  TarBuilder rel;
  rel.hardlink("stolen", "../outside/secret");
  EXPECT_THROW(unpack(rel), Error);
  TarBuilder via_symlink;
  via_symlink.symlink("out", outside).hardlink("stolen", "out/secret");
  EXPECT_THROW(unpack(via_symlink), Error);
  // A hardlink to a file of a lower layer cannot be resolved from this layer alone.
  TarBuilder missing;
  missing.hardlink("x", "etc/shadow");
  EXPECT_THROW(unpack(missing), Error);
  EXPECT_FALSE(fs::exists(layer + "/stolen"));
  struct stat st;
  ASSERT_EQ(stat((outside + "/secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1u);
}

TEST_F(Unpack, DropsDeviceNodes) {
  TarBuilder t;
  t.device("dev/sda", AE_IFBLK, 8, 0).device("dev/mem", AE_IFCHR, 1, 1).file("ok", "y");
  unpack(t);
  EXPECT_FALSE(fs::exists(fs::symlink_status(layer + "/dev/sda")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(layer + "/dev/mem")));
  EXPECT_TRUE(fs::exists(layer + "/ok"));
}

TEST_F(Unpack, KeepsSetuidOnlyWhenRoot) {
  TarBuilder t;
  t.file("su", "binary", 04755);
  unpack(t);
  auto perms = fs::status(layer + "/su").permissions();
  EXPECT_EQ((perms & fs::perms::set_uid) != fs::perms::none, geteuid() == 0);
}

TEST_F(Unpack, KeepsUserXattrsAndDropsTrustedOnes) {
  TarBuilder t;
  t.file("f", "data", 0644, 0, 0, {{"user.note", "kept"}, {"trusted.overlay.redirect", "/etc"}});
  unpack(t);
  char buf[64];
  ssize_t n = getxattr((layer + "/f").c_str(), "user.note", buf, sizeof buf);
  if (n < 0 && errno == ENOTSUP) GTEST_SKIP() << "no user xattrs on this filesystem";
  ASSERT_EQ(n, 4);
  EXPECT_EQ(std::string(buf, 4), "kept");
  EXPECT_LT(getxattr((layer + "/f").c_str(), "trusted.overlay.redirect", buf, sizeof buf), 0);
}

TEST_F(Unpack, StopsADecompressionBomb) {
  TarBuilder t;
  t.file("zeros", std::string(8 << 20, '\0'));
  UnpackLimits limits;
  limits.max_bytes = 1 << 20;
  try {
    unpack(t, TarBuilder::Compression::kGzip, limits);
    FAIL() << "bomb unpacked";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("limit"), std::string::npos) << e.what();
  }
  EXPECT_LT(fs::exists(layer + "/zeros") ? fs::file_size(layer + "/zeros") : 0, 2u << 20);
}

TEST_F(Unpack, StopsAZstdBombAndTooManyEntries) {
  TarBuilder t;
  t.file("zeros", std::string(8 << 20, '\0'));
  UnpackLimits limits;
  limits.max_bytes = 1 << 20;
  EXPECT_THROW(unpack(t, TarBuilder::Compression::kZstd, limits), Error);
  fs::remove_all(layer);
  fs::create_directories(layer);
  TarBuilder many;
  for (int i = 0; i < 50; ++i) many.file("f" + std::to_string(i), "x");
  UnpackLimits few;
  few.max_entries = 10;
  try {
    unpack(many, TarBuilder::Compression::kNone, few);
    FAIL() << "entry limit ignored";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("more than 10 entries"), std::string::npos) << e.what();
  }
}

TEST_F(Unpack, AHardlinkToASymlinkLinksTheSymlinkNotItsTarget) {
  std::ofstream(outside + "/secret") << "secret";
  TarBuilder t;
  t.symlink("s", outside + "/secret").hardlink("h", "s");
  unpack(t);
  EXPECT_TRUE(fs::is_symlink(layer + "/h"));
  struct stat st;
  ASSERT_EQ(stat((outside + "/secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1u);
}

TEST_F(Unpack, OddButHarmlessPathsAreNormalized) {
  TarBuilder t;
  t.file("./a//b/./c", "x").dir("d/").file("d/e", "y");
  unpack(t);
  EXPECT_EQ(read_file(layer + "/a/b/c"), "x");
  EXPECT_EQ(read_file(layer + "/d/e"), "y");
}

TEST_F(Unpack, AFileDoesNotReplaceADirectoryWithContent) {
  TarBuilder t;
  t.dir("d").file("d/keep", "x").file("d", "not a dir");
  EXPECT_THROW(unpack(t), Error);
  EXPECT_EQ(read_file(layer + "/d/keep"), "x");
}

TEST_F(Unpack, KeepsFileCapabilitiesWhenRoot) {
  if (geteuid() != 0) GTEST_SKIP() << "security.capability needs root";
  // VFS_CAP_REVISION_2 with CAP_NET_BIND_SERVICE permitted and effective.
  std::string cap("\x01\x00\x00\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
  TarBuilder t;
  t.file("ping", "binary", 0755, 0, 0, {{"security.capability", cap}});
  unpack(t);
  char buf[64];
  ssize_t n = getxattr((layer + "/ping").c_str(), "security.capability", buf, sizeof buf);
  if (n < 0 && errno == ENOTSUP) GTEST_SKIP() << "no xattrs here";
  ASSERT_EQ(n, 20) << strerror(errno);
  EXPECT_EQ(std::string(buf, 20), cap);
}

TEST_F(Unpack, StopsAFileClaimingAHugeSize) {
  TarBuilder t;
  t.file("big", std::string(4096, 'x'));
  UnpackLimits limits;
  limits.max_bytes = 1024;
  EXPECT_THROW(unpack(t, TarBuilder::Compression::kNone, limits), Error);
}

TEST_F(Unpack, FailsOnTruncatedStreams) {
  TarBuilder t;
  t.file("a", std::string(100000, 'a')).file("b", std::string(100000, 'b'));
  for (auto c :
       {TarBuilder::Compression::kNone, TarBuilder::Compression::kGzip, TarBuilder::Compression::kZstd}) {
    std::string bytes = t.bytes(c);
    write_file_atomic(blob, bytes.substr(0, bytes.size() / 2));
    fs::remove_all(layer);
    fs::create_directories(layer);
    EXPECT_THROW(unpack_layer(blob, layer), Error);
  }
}

TEST_F(Unpack, FailsOnGarbage) {
  write_file_atomic(blob, std::string(10000, '\x7f'));
  EXPECT_THROW(unpack_layer(blob, layer), Error);
}

}  // namespace
}  // namespace podlet::image
