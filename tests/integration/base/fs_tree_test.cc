// make_dirs, remove_tree and unmount_below on real trees with planted links and real
// mounts (root only). The test process runs in its own mount namespace, so nothing
// it mounts is seen by the host even when a test fails half-way.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fs_tree.h"
#include "base/unmount.h"

namespace fs = std::filesystem;

namespace podlet {
namespace {

class FsTree : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(::unshare(CLONE_NEWNS), 0) << strerror(errno);
    ASSERT_EQ(::mount("", "/", nullptr, MS_REC | MS_PRIVATE, nullptr), 0) << strerror(errno);
  }
  void SetUp() override {
    char tmpl[] = "/tmp/podlet-fs-tree-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    top = tmpl;
    ASSERT_EQ(::mount("tmpfs", top.c_str(), "tmpfs", 0, "mode=0755"), 0) << strerror(errno);
    tree = top + "/tree";
    outside = top + "/outside";
    fs::create_directories(outside + "/dir");
    write_file_atomic(outside + "/host-file", "keep\n");
    write_file_atomic(outside + "/dir/inner", "keep\n");
  }
  void TearDown() override {
    ::umount2(top.c_str(), MNT_DETACH);
    ::rmdir(top.c_str());
  }
  void mount_tmpfs(const std::string& path) {
    fs::create_directories(path);
    ASSERT_EQ(::mount("tmpfs", path.c_str(), "tmpfs", 0, "mode=0755"), 0) << strerror(errno);
  }

  std::string top, tree, outside;
};

TEST_F(FsTree, MakeDirsCreatesParentsAndRejectsAFileInTheWay) {
  make_dirs(tree + "/a/b/c", 0700);
  struct stat st;
  ASSERT_EQ(::stat((tree + "/a/b/c").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(::stat((tree + "/a/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  make_dirs(tree + "/a/b/c", 0700);  // existing: fine
  try {
    make_dirs(outside + "/host-file/sub");
    FAIL() << "a file in the way";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), ("mkdir " + outside + "/host-file: exists and is not a directory").c_str());
  }
}

TEST_F(FsTree, RemoveTreeNeverFollowsAPlantedSymlink) {
  make_dirs(tree + "/sub/deeper");
  fs::create_symlink(outside + "/host-file", tree + "/sub/file-link");
  fs::create_symlink(outside + "/dir", tree + "/sub/deeper/dir-link");
  fs::create_symlink(outside, tree + "/top-link");
  remove_tree(tree);
  EXPECT_FALSE(fs::exists(fs::symlink_status(tree)));
  std::ifstream host(outside + "/host-file");
  std::string text;
  std::getline(host, text);
  EXPECT_EQ(text, "keep");
  EXPECT_TRUE(fs::exists(outside + "/dir/inner"));
  // A final symlink is removed itself, not its target.
  fs::create_symlink(outside + "/dir", top + "/link");
  remove_tree(top + "/link");
  EXPECT_FALSE(fs::exists(fs::symlink_status(top + "/link")));
  EXPECT_TRUE(fs::exists(outside + "/dir/inner"));
  remove_tree(top + "/missing");  // a missing path is fine
}

TEST_F(FsTree, RemoveTreeDoesNotCrossAMountBelow) {
  // A bind mount of the same file system is a mount too, although the device is the same.
  make_dirs(tree + "/a/bound");
  ASSERT_EQ(::mount((outside + "/dir").c_str(), (tree + "/a/bound").c_str(), nullptr, MS_BIND, nullptr), 0)
      << strerror(errno);
  try {
    remove_tree(tree);
    FAIL() << "removed across a mount";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), ("remove " + tree + "/a/bound: a mount point is in the way").c_str());
  }
  EXPECT_TRUE(fs::exists(outside + "/dir/inner"));
  ::umount2((tree + "/a/bound").c_str(), MNT_DETACH);
  mount_tmpfs(tree + "/b/tmp");
  write_file_atomic(tree + "/b/tmp/on-tmpfs", "x");
  EXPECT_THROW(remove_tree(tree), Error);
  EXPECT_TRUE(fs::exists(tree + "/b/tmp/on-tmpfs"));
}

TEST_F(FsTree, UnmountBelowUnmountsStackedAndNestedMountsDeepestFirst) {
  mount_tmpfs(tree);
  mount_tmpfs(tree);  // stacked on the same point
  mount_tmpfs(tree + "/a");
  mount_tmpfs(tree + "/a/b");
  mount_tmpfs(tree + "/with space");
  ASSERT_EQ(::mount((outside + "/dir").c_str(), (tree + "/a/b").c_str(), nullptr, MS_BIND, nullptr), 0);
  EXPECT_EQ(unmount_below(tree), 6);
  EXPECT_FALSE(is_mount_point(tree));
  remove_tree(tree);
  EXPECT_FALSE(fs::exists(tree));
  EXPECT_TRUE(fs::exists(outside + "/dir/inner"));
  EXPECT_EQ(unmount_below(tree), 0);  // missing: fine
}

TEST_F(FsTree, UnmountBelowDoesNotFollowASymlinkToAMount) {
  mount_tmpfs(outside + "/mounted");
  make_dirs(tree);
  fs::create_symlink(outside + "/mounted", tree + "/link");
  fs::create_symlink(outside, tree + "/dir-link");
  EXPECT_EQ(unmount_below(tree + "/link"), 0);
  EXPECT_EQ(unmount_below(tree), 0);
  EXPECT_TRUE(is_mount_point(outside + "/mounted"));
  remove_tree(tree);
  EXPECT_TRUE(is_mount_point(outside + "/mounted"));
}

TEST_F(FsTree, UnmountBelowLeavesMountsBesideThePath) {
  mount_tmpfs(top + "/tree-sibling");  // shares the prefix "tree" but is not below tree/
  mount_tmpfs(tree + "/a");
  EXPECT_EQ(unmount_below(tree), 1);
  EXPECT_TRUE(is_mount_point(top + "/tree-sibling"));
}

}  // namespace
}  // namespace podlet
