// Store::pull: manifest (through a manifest list / index when there is one),
// config, then the layers in parallel: download to tmp/, verify, commit, unpack.
#include <atomic>
#include <filesystem>
#include <thread>

#include <spdlog/spdlog.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/file_lock.h"
#include "base/scope_guard.h"
#include "image/digest.h"
#include "image/platform.h"
#include "image/pull_progress.h"
#include "image/store.h"

namespace podlet::image {

PullPolicy default_pull_policy(std::string_view ref) {
  Reference r = parse_reference(ref);
  return r.digest.empty() && r.tag == "latest" ? PullPolicy::kAlways : PullPolicy::kIfNotPresent;
}

Image Store::ensure_image(std::string_view ref, PullPolicy policy, const PullOptions& options) {
  if (policy != PullPolicy::kAlways)
    if (auto img = find(ref)) return *img;
  if (policy == PullPolicy::kNever)
    fail("image {} is not in the store and imagePullPolicy is Never", std::string(ref));
  return pull(ref, options);
}

Image Store::pull(std::string_view ref_text, const PullOptions& options) {
  Reference ref = parse_reference(ref_text);
  return with_context("pull " + ref.string(), [&] {
    ensure_dirs();
    FileLock store(dir_ + "/store.lock", FileLock::Mode::kShared);
    RegistryClient client(ref, options.registry);

    auto manifest = client.get_manifest(ref.digest.empty() ? ref.tag : ref.digest);
    std::string index_digest;
    if (is_index_media_type(manifest.media_type)) {
      index_digest = add_blob_data(manifest.body, manifest.digest);
      auto chosen = select_platform(nlohmann::json::parse(manifest.body), host_platform());
      manifest = client.get_manifest(chosen.at("digest").get<std::string>());
    }
    std::string manifest_digest = add_blob_data(manifest.body, manifest.digest);
    auto doc = nlohmann::json::parse(manifest.body);
    if (doc.value("schemaVersion", 0) != 2 || !doc.contains("layers"))
      fail("unsupported manifest type {:?} (Docker schema 1 is not supported)", manifest.media_type);

    PullProgress progress(ref.string(), options.quiet);
    auto fetch = [&](const std::string& digest, uint64_t size) {
      size_t slot = progress.add(digest, size);
      if (has_blob(digest)) return progress.done(slot, "Reusing");
      std::string tmp = temp_path("download");
      ScopeGuard cleanup([&] { ::unlink(tmp.c_str()); });
      client.download_blob(digest, tmp, [&](uint64_t bytes) { progress.update(slot, bytes); });
      commit_blob(tmp, digest);  // verifies the content against the digest
      cleanup.dismiss();
      progress.done(slot, "Copied");
    };

    std::string config_digest = doc.at("config").at("digest").get<std::string>();
    validate_digest(config_digest);
    fetch(config_digest, doc["config"].value("size", uint64_t{0}));
    auto config = nlohmann::json::parse(read_file(blob_path(config_digest)));
    auto diff_ids = config.at("rootfs").at("diff_ids").get<std::vector<std::string>>();
    const auto& layers = doc.at("layers");
    if (diff_ids.size() != layers.size())
      fail("manifest has {} layers but the config lists {} diff_ids", layers.size(), diff_ids.size());

    // Workers take layers in order: download, verify, unpack. Layers already unpacked are skipped.
    std::atomic<size_t> next{0};
    std::mutex error_mu;
    std::string first_error;
    auto worker = [&] {
      for (size_t i; (i = next++) < layers.size();) {
        try {
          std::string digest = layers[i].at("digest").get<std::string>();
          validate_digest(digest);
          if (has_layer(diff_ids[i])) {
            progress.done(progress.add(digest, layers[i].value("size", uint64_t{0})), "Reusing");
            continue;
          }
          fetch(digest, layers[i].value("size", uint64_t{0}));
          prepare_layer(digest, diff_ids[i]);
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mu);
          if (first_error.empty()) first_error = e.what();
          next = layers.size();  // stop the others from starting new layers
        }
      }
    };
    size_t n =
        std::clamp<size_t>(static_cast<size_t>(std::max(options.parallel_downloads, 1)), 1, layers.size());
    std::vector<std::thread> threads;
    for (size_t t = 1; t < n; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    progress.finish();
    if (!first_error.empty()) throw Error(first_error);

    std::string name = ref.string();
    // A by-digest pull without a tag gets no tag: it is found again by name@digest.
    return commit_image(manifest_digest, {name}, index_digest);
  });
}

}  // namespace podlet::image
