// Store::load: OCI image layout directories, oci-archive tars (a layout in a tar)
// and docker-archive tars (docker/podman save). Archives are unpacked with the
// layer writer into the store's tmp/; every file they name is opened inside that
// directory (symlinks cannot point the loader at host files) and every blob is
// verified against its digest before the image is committed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <spdlog/spdlog.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "base/file_lock.h"
#include "base/fs_tree.h"
#include "base/scope_guard.h"
#include "image/contained_open.h"
#include "image/digest.h"
#include "image/image_docs.h"
#include "image/platform.h"
#include "image/store.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

std::string read_fd(UniqueFd fd, const std::string& what) {
  try {
    return read_all(fd.get());
  } catch (Error& e) {
    e.add_context(what);
    throw;
  }
}

nlohmann::json read_json(int root, const std::string& path) {
  try {
    return nlohmann::json::parse(read_fd(open_in_root(root, path), path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: {}", path, e.what()));
  }
}

// An OCI ref.name annotation: a full reference, or a bare name/tag kept under localhost/.
std::string name_from_annotation(const std::string& ref) {
  if (ref.find('/') != std::string::npos) return normalize_reference(ref);
  return normalize_reference("localhost/" + ref);
}

// docker-archive layers are tar files, gzip or zstd compressed or not: name them by their magic.
std::string docker_layer_media_type(int fd) {
  unsigned char m[4] = {};
  ssize_t n = ::pread(fd, m, sizeof m, 0);
  if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) return "application/vnd.docker.image.rootfs.diff.tar.gzip";
  if (n == 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
    return "application/vnd.docker.image.rootfs.diff.tar.zstd";
  return "application/vnd.docker.image.rootfs.diff.tar";
}

class LayoutLoader {
 public:
  LayoutLoader(Store& store, int root) : store_(store), root_(root) {}

  std::string blob(const std::string& digest) {
    std::string path = "blobs/sha256/" + digest_hex(digest);
    return store_.add_blob_fd(open_in_root(root_, path).get(), path, digest);
  }

  std::vector<Image> load_oci() {
    IndexDoc index = with_context(
        "index.json", [&] { return parse_index(read_fd(open_in_root(root_, "index.json"), "index.json")); });
    std::vector<Image> out;
    for (const auto& desc : index.manifests) {
      std::vector<std::string> names;
      if (!desc.ref_name.empty())
        names.push_back(desc.containerd_name ? normalize_reference(desc.ref_name)
                                             : name_from_annotation(desc.ref_name));
      std::string digest = desc.digest;
      std::string index_digest;
      blob(digest);
      if (is_index_media_type(document_media_type(read_file(store_.blob_path(digest)), desc.media_type))) {
        index_digest = digest;
        auto nested = parse_index(read_file(store_.blob_path(digest)));
        digest = select_platform(nested, host_platform()).digest;
        blob(digest);
      }
      ManifestDoc manifest = parse_manifest(read_file(store_.blob_path(digest)));
      blob(manifest.config.digest);
      for (const auto& l : manifest.layers) blob(l.digest);
      out.push_back(store_.commit_image(digest, names, index_digest));
    }
    return out;
  }

  std::vector<Image> load_docker() {
    auto manifests = read_json(root_, "manifest.json");
    std::vector<Image> out;
    for (const auto& m : manifests) {
      std::string config_path = m.at("Config").get<std::string>();
      std::string config = store_.add_blob_fd(open_in_root(root_, config_path).get(), config_path);
      nlohmann::json layers = nlohmann::json::array();
      for (const auto& l : m.at("Layers")) {
        std::string path = l.get<std::string>();
        UniqueFd fd = open_in_root(root_, path);
        std::string media_type = docker_layer_media_type(fd.get());
        struct stat st;
        if (::fstat(fd.get(), &st) < 0) throw system_error("stat " + path);
        std::string digest = store_.add_blob_fd(fd.get(), path);
        layers.push_back({{"mediaType", media_type}, {"digest", digest}, {"size", st.st_size}});
      }
      // docker-archive has no manifest blob: make the schema 2 manifest a registry would serve.
      nlohmann::json manifest{{"schemaVersion", 2},
                              {"mediaType", "application/vnd.docker.distribution.manifest.v2+json"},
                              {"config",
                               {{"mediaType", "application/vnd.docker.container.image.v1+json"},
                                {"digest", config},
                                {"size", fs::file_size(store_.blob_path(config))}}},
                              {"layers", layers}};
      std::string manifest_digest = store_.add_blob_data(manifest.dump());
      std::vector<std::string> names;
      for (const auto& t : m.value("RepoTags", nlohmann::json::array()))
        names.push_back(t.get<std::string>());
      out.push_back(store_.commit_image(manifest_digest, names));
    }
    return out;
  }

  std::vector<Image> load() {
    auto exists = [&](const char* name) { return ::faccessat(root_, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0; };
    if (exists("index.json") && exists("oci-layout")) return load_oci();
    if (exists("manifest.json")) return load_docker();
    fail("neither an OCI image layout (oci-layout, index.json) nor a docker archive (manifest.json)");
  }

 private:
  Store& store_;
  int root_;
};

}  // namespace

std::vector<Image> Store::load(const std::string& path, const std::string& name) {
  return with_context("load " + path, [&] {
    if (!name.empty()) normalize_reference(name);  // reject a bad name before any work
    ensure_dirs();
    FileLock store(dir_ + "/store.lock", FileLock::Mode::kShared);
    std::string unpacked;
    ScopeGuard cleanup(
        "unpacked copy of " + path,
        [&] {
          if (!unpacked.empty()) remove_tree(unpacked);
        },
        [](const std::string& m) { spdlog::warn("{}", m); });
    UniqueFd root;
    if (fs::is_directory(path)) {
      root = open_fd(path, O_RDONLY | O_DIRECTORY);
    } else {
      unpacked = temp_path("archive");
      make_dirs(unpacked, 0700);
      unpack_layer(path, unpacked, limits);
      root = open_fd(unpacked, O_RDONLY | O_DIRECTORY);
    }
    std::vector<Image> images;
    try {
      images = LayoutLoader(*this, root.get()).load();
    } catch (const nlohmann::json::exception& e) {
      fail("malformed archive: {}", e.what());
    }
    if (images.empty()) fail("the archive holds no image");
    if (!name.empty()) {
      if (images.size() != 1)
        fail("--name needs an archive with exactly one image, this one has {}", images.size());
      tag(images.front().id, name);
      images.front() = *find(images.front().id);
    }
    return images;
  });
}

}  // namespace podlet::image
