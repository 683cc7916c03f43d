// Pulls from a registry whose answers the tests control (layout_registry.h): a
// crash in the middle of a download, layers downloaded in parallel, a registry
// sending more than the manifest says, hostile manifests, zstd layers, progress
// output on a terminal and off it, and short names through registries.conf.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "base/error.h"
#include "fixtures.h"
#include "image/store.h"
#include "layout_registry.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace podlet::image {
namespace {

using testing::run;
using testing::TarBuilder;
using testing::TmpfsDir;

std::vector<TarBuilder> three_layers() {
  TarBuilder a, b;
  a.dir("srv").file("srv/a", std::string(200000, 'a'));
  b.file("srv/b", "b\n").file(".wh.gone", "");
  return {testing::busybox_rootfs(), a, b};
}

class PullEdge : public ::testing::Test {
 protected:
  TmpfsDir tmp;
  std::string layout = tmp.path + "/layout";
  std::string root = tmp.path + "/root";
  nlohmann::json desc;
  std::vector<std::string> layer_digests;

  void make_layout(TarBuilder::Compression c = TarBuilder::Compression::kGzip) {
    desc = testing::add_oci_image(layout, three_layers(), "amd64", c);
    testing::write_oci_index(layout, {desc}, "bb");
    auto manifest = nlohmann::json::parse(
        read_file(layout + "/blobs/sha256/" + desc["digest"].get<std::string>().substr(7)));
    for (const auto& l : manifest["layers"]) layer_digests.push_back(l["digest"]);
  }
  void SetUp() override { make_layout(); }
  PullOptions quiet() {
    PullOptions o;
    o.quiet = true;
    return o;
  }
  bool tmp_has_bytes(uint64_t at_least) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root + "/storage/tmp", ec))
      if (e.is_regular_file() && e.file_size() >= at_least) return true;
    return false;
  }
};

TEST_F(PullEdge, CrashMidDownloadLeavesNoImageAndTheNextPullRedoesIt) {
  testing::LayoutRegistry registry(layout, "test/bb", "1");
  std::string busybox_layer = layer_digests[0];
  size_t half = registry.blob(busybox_layer).size() / 2;
  std::atomic<bool> stall{true};
  registry.on_blob = [&](const std::string& digest, testing::HttpServer::Response& r) {
    if (digest == busybox_layer && stall) r.stall_after = half;
  };
  pid_t pid = testing::spawn(
      std::string("exec ") + PODLET_BINARY + " --root " + root + " image pull -q " + registry.ref(),
      tmp.path + "/pull.log");
  bool half_written = false;
  for (int i = 0; i < 600 && !half_written; ++i) {
    half_written = tmp_has_bytes(half);
    if (!half_written) std::this_thread::sleep_for(50ms);
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(half_written) << read_file(tmp.path + "/pull.log");
  ASSERT_TRUE(WIFSIGNALED(status));

  Store store(root + "/storage");
  EXPECT_TRUE(store.list().empty());  // no half-visible image
  EXPECT_FALSE(store.find(registry.ref()));
  EXPECT_FALSE(store.has_blob(busybox_layer));
  EXPECT_TRUE(tmp_has_bytes(half));  // the interrupted download is a leftover in tmp/ only

  stall = false;
  Image img = store.pull(registry.ref(), quiet());
  ASSERT_EQ(img.layer_dirs.size(), 3u);
  EXPECT_TRUE(fs::exists(img.layer_dirs[2] + "/bin/busybox"));
  EXPECT_EQ(fs::file_size(img.layer_dirs[1] + "/srv/a"), 200000u);
  store.prune();
  EXPECT_TRUE(fs::is_empty(root + "/storage/tmp"));
  EXPECT_TRUE(store.find(registry.ref()));
}

TEST_F(PullEdge, LayersAreDownloadedInParallel) {
  testing::LayoutRegistry registry(layout, "test/bb", "1");
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0, max_in_flight = 0;
  registry.on_blob = [&](const std::string& digest, testing::HttpServer::Response&) {
    if (std::find(layer_digests.begin(), layer_digests.end(), digest) == layer_digests.end()) return;
    std::unique_lock lock(mu);
    max_in_flight = std::max(max_in_flight, ++in_flight);
    cv.notify_all();
    // Hold this answer until another layer is being asked for (or give up after 10 s).
    cv.wait_for(lock, 10s, [&] { return max_in_flight >= 2; });
    --in_flight;
  };
  Store store(root + "/storage");
  PullOptions o = quiet();
  o.parallel_downloads = 3;
  store.pull(registry.ref(), o);
  EXPECT_GE(max_in_flight, 2);
}

TEST_F(PullEdge, ARegistrySendingMoreThanTheManifestSaysIsCutOff) {
  testing::LayoutRegistry registry(layout, "test/bb", "1");
  registry.on_blob = [&](const std::string& digest, testing::HttpServer::Response& r) {
    if (digest == layer_digests[1]) r.body += std::string(1 << 20, 'z');
  };
  Store store(root + "/storage");
  try {
    store.pull(registry.ref(), quiet());
    FAIL() << "oversized blob accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("more than"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(store.list().empty());
  EXPECT_FALSE(store.has_blob(layer_digests[1]));
}

TEST_F(PullEdge, HostileManifestsAreErrorsNotCrashes) {
  testing::LayoutRegistry registry(layout, "test/bb", "1");
  std::string good = registry.blob(desc["digest"]);
  auto bad_layer_digest = nlohmann::json::parse(good);
  bad_layer_digest["layers"][0]["digest"] = "sha256:../../../etc/passwd";
  auto foreign = nlohmann::json::parse(good);
  foreign["layers"][0]["mediaType"] = "application/vnd.oci.image.layer.v1.tar+encrypted";
  registry.raw_manifests = {
      {"schema1", R"({"schemaVersion":1,"name":"test/bb","tag":"schema1","fsLayers":[]})"},
      {"notjson", "<html>hello</html>"},
      {"array", "[1,2,3]"},
      {"types", R"({"schemaVersion":2,"config":{"digest":7},"layers":{}})"},
      {"baddigest", bad_layer_digest.dump()},
      {"encrypted", foreign.dump()},
  };
  Store store(root + "/storage");
  for (const auto& [tag, body] : registry.raw_manifests) {
    EXPECT_THROW(store.pull(registry.host() + "/test/bb:" + tag, quiet()), Error) << tag;
  }
  EXPECT_TRUE(store.list().empty());
}

TEST_F(PullEdge, ZstdLayers) {
  fs::remove_all(layout);
  layer_digests.clear();
  make_layout(TarBuilder::Compression::kZstd);
  testing::LayoutRegistry registry(layout, "test/bb", "zstd");
  Store store(root + "/storage");
  Image img = store.pull(registry.ref(), quiet());
  ASSERT_EQ(img.layer_dirs.size(), 3u);
  EXPECT_TRUE(fs::exists(img.layer_dirs[2] + "/bin/busybox"));
  EXPECT_TRUE(fs::exists(fs::symlink_status(img.layer_dirs[0] + "/gone")));
}

TEST_F(PullEdge, ProgressOnATerminalAndPlainLinesOtherwise) {
  testing::LayoutRegistry registry(layout, "test/bb", "1");
  std::string pull = std::string(PODLET_BINARY) + " --root " + root + " image pull ";
  // On a terminal (script gives the command a pty): one live line, redrawn.
  auto tty = run("script -qec '" + pull + registry.ref() + "' /dev/null");
  ASSERT_EQ(tty.status, 0) << tty.output;
  EXPECT_NE(tty.output.find("\r\033[KPulling " + registry.ref()), std::string::npos) << tty.output;
  EXPECT_EQ(tty.output.find("Copied blob"), std::string::npos) << tty.output;
  fs::remove_all(root);
  // Not a terminal: one plain line per blob, no escape sequences.
  auto plain = run(pull + registry.ref());
  ASSERT_EQ(plain.status, 0) << plain.output;
  EXPECT_NE(plain.output.find("Copied blob " + layer_digests[0].substr(7, 12)), std::string::npos)
      << plain.output;
  EXPECT_EQ(plain.output.find('\033'), std::string::npos) << plain.output;
  fs::remove_all(root);
  // -q: only the image id on stdout.
  auto quiet_run = run(pull + "-q " + registry.ref());
  ASSERT_EQ(quiet_run.status, 0) << quiet_run.output;
  EXPECT_EQ(quiet_run.output.find("blob"), std::string::npos) << quiet_run.output;
}

TEST_F(PullEdge, PlainHttpOnlyForLoopbackAndRegistriesMarkedInsecure) {
  testing::LayoutRegistry registry(layout, "test/bb", "1");
  // The same loopback server under a name podlet does not know as loopback (127.0.0.1
  // written as one decimal number): HTTPS only, unless registries.conf marks it insecure.
  std::string port = registry.host().substr(registry.host().find(':') + 1);
  std::string disguised = "2130706433:" + port;
  std::string podlet = PODLET_BINARY " --root " + root + " image pull -q ";
  std::string no_conf = "CONTAINERS_REGISTRIES_CONF=" + tmp.path + "/none.conf ";
  auto r = run(no_conf + podlet + disguised + "/test/bb:1");
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("GET https://" + disguised + "/v2/"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("http://"), std::string::npos) << r.output;
  EXPECT_TRUE(Store(root + "/storage").list().empty());
  std::string conf = tmp.path + "/registries.conf";
  write_file_atomic(conf, "[[registry]]\nlocation = \"" + disguised + "\"\ninsecure = true\n");
  r = run("CONTAINERS_REGISTRIES_CONF=" + conf + " " + podlet + disguised + "/test/bb:1");
  EXPECT_EQ(r.status, 0) << r.output;
  fs::remove_all(root);
  r = run(no_conf + podlet + "--tls-verify=false " + disguised + "/test/bb:1");
  EXPECT_EQ(r.status, 0) << r.output;
  fs::remove_all(root);
  // The loopback names themselves need no marking.
  r = run(no_conf + podlet + "localhost:" + port + "/test/bb:1");
  EXPECT_EQ(r.status, 0) << r.output;
}

// Some plain HTTP servers wait for a request line and never answer a TLS ClientHello:
// the HTTPS probe of an insecure registry gives up after a bounded handshake (5 s),
// not the whole connect timeout (30 s), and falls back to HTTP.
TEST_F(PullEdge, InsecureRegistryThatNeverAnswersTlsFallsBackAfterABoundedHandshake) {
  testing::LayoutRegistry registry(layout, "test/bb", "1");
  registry.stall_tls();
  auto start = std::chrono::steady_clock::now();
  auto r = run(PODLET_BINARY " --root " + root + " image pull -q " + registry.ref());
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_GE(took, std::chrono::seconds(4)) << "the HTTPS probe was not stalled";
  EXPECT_LT(took, std::chrono::seconds(25)) << "the fallback waited for the connect timeout";
  EXPECT_TRUE(Store(root + "/storage").find(registry.ref()));
}

TEST_F(PullEdge, ShortNamesFollowRegistriesConf) {
  testing::LayoutRegistry empty_layout_registry(layout, "other/repo", "1");  // has no test/bb
  testing::LayoutRegistry registry(layout, "test/bb", "1");
  std::string conf = tmp.path + "/registries.conf";
  write_file_atomic(conf,
                    "unqualified-search-registries = [\"" + empty_layout_registry.host() + "\", \"" +
                        registry.host() + "\"]\n[aliases]\n\"mybb\" = \"" + registry.host() +
                        "/test/bb\"\n[[registry]]\nlocation = \"blocked.example.com\"\nblocked = true\n");
  std::string podlet = "CONTAINERS_REGISTRIES_CONF=" + conf + " " PODLET_BINARY " --root " + root + " ";
  // Searched in order: the first registry does not have it, the second does.
  auto r = run(podlet + "image pull -q test/bb:1");
  ASSERT_EQ(r.status, 0) << r.output;
  r = run(podlet + "image inspect test/bb:1");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(nlohmann::json::parse(r.output)[0]["Names"][0], registry.host() + "/test/bb:1");
  // An alias names one place.
  r = run(podlet + "image pull -q mybb:1");
  ASSERT_EQ(r.status, 0) << r.output;
  r = run(podlet + "image inspect mybb:1");
  ASSERT_EQ(r.status, 0) << r.output;
  // A blocked registry is never contacted.
  r = run(podlet + "image pull -q blocked.example.com/x:1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("blocked"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace podlet::image
