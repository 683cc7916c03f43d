// Store: adding blobs, unpacking layers and committing image records.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>

#include <spdlog/spdlog.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "base/file_lock.h"
#include "base/fs_tree.h"
#include "base/scope_guard.h"
#include "image/digest.h"
#include "image/image_docs.h"
#include "image/store.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         std::to_string(std::random_device{}());
}

}  // namespace

std::string Store::temp_path(std::string_view hint) const {
  ensure_dirs();
  return dir_ + "/tmp/" + std::string(hint) + "." + unique_suffix();
}

void Store::commit_blob(const std::string& temp_file, std::string_view digest) {
  validate_digest(digest);
  std::string actual = sha256_file_digest(temp_file);
  if (actual != digest) {
    ::unlink(temp_file.c_str());
    fail("blob {}: content has digest {}; refusing it", std::string(digest), actual);
  }
  {
    UniqueFd fd = open_fd(temp_file, O_RDONLY);
    if (::fsync(fd.get()) < 0) throw system_error("fsync " + temp_file);
  }
  std::string dest = blob_path(digest);
  if (::rename(temp_file.c_str(), dest.c_str()) < 0)
    throw system_error("rename " + temp_file + " to " + dest);
}

std::string Store::add_blob_file(const std::string& path, std::string_view expected) {
  if (!expected.empty() && has_blob(expected)) return std::string(expected);
  UniqueFd in = open_fd(path, O_RDONLY);
  return add_blob_fd(in.get(), path, expected);
}

std::string Store::add_blob_fd(int fd, const std::string& what, std::string_view expected) {
  if (!expected.empty() && has_blob(expected)) return std::string(expected);
  std::string tmp = temp_path("blob");
  ScopeGuard cleanup(
      "temp file " + tmp, [&] { remove_file(tmp); }, [](const std::string& m) { spdlog::warn("{}", m); });
  Sha256 hash;
  {
    UniqueFd out = open_fd(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    std::string buf(1 << 17, '\0');
    for (;;) {
      ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw system_error("read " + what);
      }
      if (n == 0) break;
      hash.update(buf.data(), static_cast<size_t>(n));
      write_all(out.get(), std::string_view(buf.data(), static_cast<size_t>(n)));
    }
  }
  std::string digest = hash.digest();
  if (!expected.empty() && digest != expected)
    fail("{}: content has digest {}, expected {}; refusing it", what, digest, std::string(expected));
  if (has_blob(digest)) return digest;
  commit_blob(tmp, digest);
  cleanup.dismiss();
  return digest;
}

std::string Store::add_blob_data(std::string_view data, std::string_view expected) {
  std::string digest = sha256_digest(data);
  if (!expected.empty() && digest != expected)
    fail("blob has digest {}, expected {}; refusing it", digest, std::string(expected));
  ensure_dirs();
  if (!has_blob(digest)) write_file_atomic(blob_path(digest), data, 0644);
  return digest;
}

Store::LayerInfo Store::ensure_layer(std::string_view blob_digest, std::string_view diff_id) {
  auto read_info = [&](const std::string& id) {
    auto meta = nlohmann::json::parse(read_file(layer_dir(id) + "/layer.json"));
    return LayerInfo{id, meta.value("size", uint64_t{0})};
  };
  std::optional<FileLock> lock;
  if (!diff_id.empty()) {
    validate_digest(diff_id);
    // Two pulls of one image: the second waits here and then finds the layer done.
    lock.emplace(layer_dir(diff_id) + ".lock");
    if (has_layer(diff_id)) return read_info(std::string(diff_id));
  }
  std::string tmp = dir_ + "/layers/.tmp-" + unique_suffix();
  ScopeGuard cleanup(
      "layer being unpacked " + tmp, [&] { remove_tree(tmp); },
      [](const std::string& m) { spdlog::warn("{}", m); });
  make_dirs(tmp + "/diff", 0755);
  ::chmod((tmp + "/diff").c_str(), 0755);
  UnpackResult r = unpack_layer(blob_path(blob_digest), tmp + "/diff", limits);
  if (!diff_id.empty() && r.diff_id != diff_id)
    fail("layer {}: uncompressed content has digest {}, the image config says {}", std::string(blob_digest),
         r.diff_id, std::string(diff_id));
  if (!lock) {
    lock.emplace(layer_dir(r.diff_id) + ".lock");
    if (has_layer(r.diff_id)) return read_info(r.diff_id);
  }
  nlohmann::json meta{{"diff_id", r.diff_id}, {"size", r.size}, {"blob", std::string(blob_digest)}};
  write_file_atomic(tmp + "/layer.json", meta.dump() + "\n", 0600);
  std::string dest = layer_dir(r.diff_id);
  remove_tree(dest);  // an incomplete leftover without layer.json (a crash before the rename)
  if (::rename(tmp.c_str(), dest.c_str()) < 0) throw system_error("rename " + tmp + " to " + dest);
  cleanup.dismiss();
  return LayerInfo{r.diff_id, r.size};
}

Image Store::commit_image(std::string_view manifest_digest, const std::vector<std::string>& names,
                          std::string_view index_digest) {
  return with_context("image " + std::string(manifest_digest), [&]() -> Image {
    ensure_dirs();
    FileLock store(dir_ + "/store.lock", FileLock::Mode::kShared);
    ManifestDoc manifest = parse_manifest(read_file(blob_path(manifest_digest)));
    std::string config_digest = manifest.config.digest;
    ConfigDoc config = with_context("config " + config_digest,
                                    [&] { return parse_config(read_file(blob_path(config_digest))); });
    const auto& diff_ids = config.diff_ids;
    const auto& layers = manifest.layers;
    if (diff_ids.size() != layers.size())
      fail("manifest has {} layers but the config lists {} diff_ids", layers.size(), diff_ids.size());
    nlohmann::json rec_layers = nlohmann::json::array();
    uint64_t size = 0;
    for (size_t i = 0; i < layers.size(); ++i) {
      const std::string& blob = layers[i].digest;
      if (!has_blob(blob) && !has_layer(diff_ids[i]))
        fail("layer {} ({}) is missing from the store", i, blob);
      LayerInfo info = ensure_layer(blob, diff_ids[i]);
      size += info.size;
      rec_layers.push_back(
          {{"digest", blob}, {"diff_id", info.diff_id}, {"media_type", layers[i].media_type}});
    }
    std::string id = config_digest;
    nlohmann::json rec{{"id", id},
                       {"names", nlohmann::json::array()},
                       {"manifest", std::string(manifest_digest)},
                       {"config", config_digest},
                       {"layers", rec_layers},
                       {"created", config.created},
                       {"size", size}};
    if (!index_digest.empty()) rec["digest"] = std::string(index_digest);
    std::vector<std::string> normalized;
    for (const auto& n : names) normalized.push_back(normalize_reference(n));
    FileLock records(dir_ + "/records.lock");
    std::string path = dir_ + "/images/" + digest_hex(id) + ".json";
    if (fs::exists(path)) {
      auto old = nlohmann::json::parse(read_file(path));
      rec["names"] = old.value("names", nlohmann::json::array());
      if (index_digest.empty() && old.contains("digest")) rec["digest"] = old["digest"];
    }
    write_file_atomic(path, rec.dump(2) + "\n", 0600);
    write_names(id, normalized);
    auto img = read_record(path);
    if (!img) fail("record vanished");
    return *img;
  });
}

}  // namespace podlet::image
