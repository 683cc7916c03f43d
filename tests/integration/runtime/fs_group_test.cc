// fsGroup: the volumes the kubelet manages the ownership of get the pod's fsGroup
// (Kubernetes' SetVolumeOwnership), so a non-root container can use them; the host-side
// walk never follows a link a container planted, nor crosses into another mount.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "base/error.h"
#include "manifest/model.h"
#include "plan/planner.h"
#include "runtime/volume_ownership.h"
#include "runtime_test.h"

namespace podlet::test {
namespace {

namespace fs = std::filesystem;

struct Owner {
  uid_t uid;
  gid_t gid;
  mode_t mode;  // permission and special bits
  bool operator==(const Owner&) const = default;
};

Owner owner(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) < 0) throw system_error("lstat " + path);
  return Owner{st.st_uid, st.st_gid, st.st_mode & 07777};
}

void write_file(const std::string& path, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw system_error("create " + path);
  ::close(fd);
  if (::chmod(path.c_str(), mode) < 0) throw system_error("chmod " + path);
}

void make_dir(const std::string& path, mode_t mode) {
  fs::create_directories(path);
  if (::chmod(path.c_str(), mode) < 0) throw system_error("chmod " + path);
}

// A host file and dir that links in a volume point to: root's, mode 0600/0700.
struct Victim {
  explicit Victim(const std::string& dir) : dir(dir), file(dir + "/file"), inner(dir + "/dir/inner") {
    make_dir(dir + "/dir", 0700);
    write_file(file, 0600);
    write_file(inner, 0600);
    for (const auto& p : {dir + "/dir", file, inner})
      if (::chown(p.c_str(), 0, 0) < 0) throw system_error("chown " + p);
  }
  void expect_untouched() const {
    for (const auto& p : {file, inner}) EXPECT_EQ(owner(p), (Owner{0, 0, 0600})) << p;
    EXPECT_EQ(owner(dir + "/dir"), (Owner{0, 0, 0700}));
  }
  std::string dir, file, inner;
};

class VolumeOwnershipWalk : public ::testing::Test {
 protected:
  Sandbox sandbox;
  std::string vol = sandbox.dir() + "/vol";
  Victim victim{sandbox.dir() + "/victim"};
};

TEST_F(VolumeOwnershipWalk, ChangesEveryEntryAndNeverFollowsLinks) {
  make_dir(vol + "/sub/deeper", 0700);
  write_file(vol + "/file", 0600);
  write_file(vol + "/sub/exec", 0755);
  write_file(vol + "/sub/deeper/f", 0400);
  ASSERT_EQ(::mkfifo((vol + "/fifo").c_str(), 0600), 0);
  fs::create_symlink(victim.file, vol + "/link-file");
  fs::create_symlink(victim.dir + "/dir", vol + "/link-dir");
  fs::create_symlink("../../victim/file", vol + "/sub/relative");
  // Another mount inside the volume (a bind mount of the victim's dir): not crossed.
  make_dir(vol + "/mnt", 0755);
  ASSERT_EQ(::mount(victim.dir.c_str(), (vol + "/mnt").c_str(), nullptr, MS_BIND, nullptr), 0);
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{vol + "/mnt"};
  make_dir(vol, 0755);

  runtime::set_volume_ownership(vol, plan::VolumeOwnership{.gid = 2000});

  EXPECT_EQ(owner(vol), (Owner{0, 2000, 02775}));
  EXPECT_EQ(owner(vol + "/file"), (Owner{0, 2000, 0660}));
  EXPECT_EQ(owner(vol + "/fifo"), (Owner{0, 2000, 0660}));
  EXPECT_EQ(owner(vol + "/sub"), (Owner{0, 2000, 02775}));
  EXPECT_EQ(owner(vol + "/sub/exec"), (Owner{0, 2000, 0775}));
  EXPECT_EQ(owner(vol + "/sub/deeper"), (Owner{0, 2000, 02770}));
  EXPECT_EQ(owner(vol + "/sub/deeper/f"), (Owner{0, 2000, 0660}));
  // Links get the group themselves (as the kubelet's Lchown), their targets nothing.
  EXPECT_EQ(owner(vol + "/link-file").gid, 2000u);
  EXPECT_EQ(owner(vol + "/sub/relative").gid, 2000u);
  victim.expect_untouched();
  EXPECT_EQ(owner(victim.dir), (Owner{0, 0, 0755})) << "the mount inside the volume was crossed";
}

TEST_F(VolumeOwnershipWalk, ReadOnlyVolumesGetGroupReadOnly) {
  make_dir(vol + "/d", 0755);
  write_file(vol + "/d/secret", 0400);
  write_file(vol + "/plain", 0644);
  runtime::set_volume_ownership(vol, plan::VolumeOwnership{.gid = 7, .read_only = true});
  EXPECT_EQ(owner(vol + "/d"), (Owner{0, 7, 02755}));
  EXPECT_EQ(owner(vol + "/d/secret"), (Owner{0, 7, 0440}));
  EXPECT_EQ(owner(vol + "/plain"), (Owner{0, 7, 0644}));
}

TEST_F(VolumeOwnershipWalk, OnRootMismatchSkipsAVolumeWhoseRootMatches) {
  make_dir(vol, 0755);
  write_file(vol + "/f", 0600);
  plan::VolumeOwnership o{.gid = 2000, .only_on_root_mismatch = true};
  ASSERT_EQ(::chown(vol.c_str(), 0, 2000), 0);
  ASSERT_EQ(::chmod(vol.c_str(), 02770), 0);
  runtime::set_volume_ownership(vol, o);
  EXPECT_EQ(owner(vol + "/f"), (Owner{0, 0, 0600})) << "a matching root must skip the walk";

  ASSERT_EQ(::chmod(vol.c_str(), 0770), 0);  // no setgid: mismatch
  runtime::set_volume_ownership(vol, o);
  EXPECT_EQ(owner(vol + "/f"), (Owner{0, 2000, 0660}));
  EXPECT_EQ(owner(vol), (Owner{0, 2000, 02770}));

  o.only_on_root_mismatch = false;  // Always: walks even over a matching root
  ASSERT_EQ(::chown((vol + "/f").c_str(), 0, 0), 0);
  runtime::set_volume_ownership(vol, o);
  EXPECT_EQ(owner(vol + "/f").gid, 2000u);
}

TEST_F(VolumeOwnershipWalk, ARootThatIsALinkIsRefusedWithItsPath) {
  fs::create_symlink(victim.dir, vol);
  try {
    runtime::set_volume_ownership(vol, plan::VolumeOwnership{.gid = 2000});
    FAIL() << "a volume root that is a link was walked";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(vol), std::string::npos) << e.what();
  }
  victim.expect_untouched();
}

constexpr const char* kManifest = R"yaml(apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: test}
data: {key: value}
---
apiVersion: v1
kind: Pod
metadata: {name: fsgroup, namespace: test}
spec:
  securityContext: {runAsUser: 1000, runAsGroup: 1000, fsGroup: 2500}
  volumes:
  - {name: scratch, emptyDir: {}}
  - {name: mem, emptyDir: {medium: Memory}}
  - {name: data, persistentVolumeClaim: {claimName: data}}
  - {name: cfg, configMap: {name: cfg, defaultMode: 0400}}
  containers:
  - name: app
    image: localhost/busybox:latest
    volumeMounts:
    - {name: scratch, mountPath: /scratch}
    - {name: mem, mountPath: /mem}
    - {name: data, mountPath: /data}
    - {name: cfg, mountPath: /cfg}
    command:
    - /bin/sh
    - -c
    - |
      set -e
      u=$(cat /proc/sys/kernel/random/uuid)
      for d in scratch mem data; do
        echo x >/$d/new-$u
        mkdir /$d/sub-$u
        echo y >/$d/sub-$u/f
      done
      ln -s /tmp/victim/file /data/planted-$u
      ln -s /tmp/victim/dir /data/planted-dir-$u
      printf '{"cfg-content": "%s", "groups": " %s ",' "$(cat /cfg/key)" "$(id -G)"
      for d in scratch mem data cfg; do printf ' "%s": "%s",' $d "$(stat -c %g:%a /$d)"; done
      for d in scratch mem data; do
        printf ' "%s-file": "%s", "%s-sub": "%s", "%s-subfile": "%s",' $d "$(stat -c %g /$d/new-$u)" \
          $d "$(stat -c %g:%a /$d/sub-$u)" $d "$(stat -c %g /$d/sub-$u/f)"
      done
      printf ' "cfg-key": "%s"}\n' "$(stat -L -c %g:%a /cfg/key)"
)yaml";

class FsGroupPodTest : public RuntimeTest {
 protected:
  void SetUp() override {
    planned = plan_test_pod(sandbox, kManifest, image);
    claim = test_paths(sandbox).volumes() + "/test_data";
  }

  nlohmann::json run_app() {
    Pod pod(sandbox, planned.infra, image);
    pod.start();
    return pod.probe(planned.find_container("app")->spec);
  }

  plan::PodPlan planned;
  std::string claim;
  // The host paths the container's links name (the test's own /tmp, which the infra
  // and the container entrypoint share with it).
  Victim victim{"/tmp/victim"};
};

TEST_F(FsGroupPodTest, NonRootContainerUsesItsVolumesThroughFsGroup) {
  // A claim with content from before (root's) and a link planted by an earlier pod.
  make_dir(claim + "/old", 0755);
  write_file(claim + "/old/f", 0644);
  fs::create_symlink(victim.file, claim + "/planted-before");

  auto r = run_app();
  EXPECT_NE(r["groups"].get<std::string>().find(" 2500 "), std::string::npos) << r.dump();
  EXPECT_EQ(r["cfg-content"], "value") << "configMap files are readable through the fsGroup";
  EXPECT_EQ(r["scratch"], "2500:2777");
  EXPECT_EQ(r["mem"], "2500:2777");
  EXPECT_EQ(r["data"], "2500:2775");
  EXPECT_EQ(r["cfg"], "2500:2755");
  EXPECT_EQ(r["cfg-key"], "2500:440");
  for (const char* d : {"scratch", "mem", "data"}) {
    EXPECT_EQ(r[std::string(d) + "-file"], "2500") << d << ": setgid dir gives new files the group";
    EXPECT_EQ(r[std::string(d) + "-sub"].get<std::string>().substr(0, 6), "2500:2") << d;
    EXPECT_EQ(r[std::string(d) + "-subfile"], "2500") << d;
  }
  EXPECT_EQ(owner(claim + "/old"), (Owner{0, 2500, 02775}));
  EXPECT_EQ(owner(claim + "/old/f"), (Owner{0, 2500, 0664}));
  victim.expect_untouched();

  // The next start walks the claim again, over the link the container planted.
  run_app();
  victim.expect_untouched();
}

}  // namespace
}  // namespace podlet::test
