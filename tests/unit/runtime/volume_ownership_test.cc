// The pure part of fsGroup ownership: the modes Kubernetes' SetVolumeOwnership gives
// (pkg/volume/volume_linux.go) and its OnRootMismatch check.
#include "runtime/volume_ownership.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

namespace podlet::runtime {
namespace {

TEST(OwnedMode, WritableVolumeAddsOwnerAndGroupReadWrite) {
  EXPECT_EQ(owned_mode(S_IFREG | 0600, false), S_IFREG | 0660);
  EXPECT_EQ(owned_mode(S_IFREG | 0644, false), S_IFREG | 0664);
  EXPECT_EQ(owned_mode(S_IFREG | 0000, false), S_IFREG | 0660);
  EXPECT_EQ(owned_mode(S_IFREG | 0755, false), S_IFREG | 0775);
}

TEST(OwnedMode, DirectoriesGetSearchAndSetgid) {
  EXPECT_EQ(owned_mode(S_IFDIR | 0777, false), S_IFDIR | 02777);
  EXPECT_EQ(owned_mode(S_IFDIR | 0755, false), S_IFDIR | 02775);
  EXPECT_EQ(owned_mode(S_IFDIR | 0700, false), S_IFDIR | 02770);
  EXPECT_EQ(owned_mode(S_IFDIR | 0755, true), S_IFDIR | 02755);
}

TEST(OwnedMode, ReadOnlyVolumeAddsOnlyRead) {
  // configMap/secret files: defaultMode 0400 becomes group-readable, never writable.
  EXPECT_EQ(owned_mode(S_IFREG | 0400, true), S_IFREG | 0440);
  EXPECT_EQ(owned_mode(S_IFREG | 0644, true), S_IFREG | 0644);
  EXPECT_EQ(owned_mode(S_IFREG | 0600, true), S_IFREG | 0640);
}

TEST(OwnedMode, KeepsSpecialBits) {
  EXPECT_EQ(owned_mode(S_IFDIR | 01777, false), S_IFDIR | 03777);
  EXPECT_EQ(owned_mode(S_IFREG | 04755, false), S_IFREG | 04775);
}

TEST(RootOwned, NeedsGroupSetgidAndASupersetOfTheMask) {
  plan::VolumeOwnership o{.gid = 2000, .read_only = false, .only_on_root_mismatch = true};
  EXPECT_TRUE(root_owned(2000, S_IFDIR | 02770, o));
  EXPECT_TRUE(root_owned(2000, S_IFDIR | 02775, o));
  EXPECT_TRUE(root_owned(2000, S_IFDIR | 02777, o));
  EXPECT_FALSE(root_owned(2001, S_IFDIR | 02770, o)) << "another group";
  EXPECT_FALSE(root_owned(2000, S_IFDIR | 0770, o)) << "no setgid";
  EXPECT_FALSE(root_owned(2000, S_IFDIR | 02750, o)) << "group cannot write";
  EXPECT_FALSE(root_owned(2000, S_IFDIR | 02660, o)) << "no search";
  EXPECT_FALSE(root_owned(2000, S_IFREG | 02770, o)) << "not a directory";
}

TEST(RootOwned, ReadOnlyNeedsOnlyReadAndSearch) {
  plan::VolumeOwnership o{.gid = 5, .read_only = true, .only_on_root_mismatch = true};
  EXPECT_TRUE(root_owned(5, S_IFDIR | 02550, o));
  EXPECT_FALSE(root_owned(5, S_IFDIR | 02500, o));
}

TEST(RootOwned, AWalkedRootMatches) {
  for (bool ro : {false, true}) {
    plan::VolumeOwnership o{.gid = 7, .read_only = ro, .only_on_root_mismatch = true};
    for (mode_t m : {0000, 0700, 0755, 0777, 01777})
      EXPECT_TRUE(root_owned(7, owned_mode(S_IFDIR | m, ro), o)) << std::oct << m << " ro " << ro;
  }
}

}  // namespace
}  // namespace podlet::runtime
