// Store::pull: manifest (through a manifest list / index when there is one),
// config, then the layers in parallel: download to tmp/, verify, commit, unpack.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include <spdlog/spdlog.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/file_lock.h"
#include "base/fs_tree.h"
#include "base/scope_guard.h"
#include "image/digest.h"
#include "image/image_docs.h"
#include "image/platform.h"
#include "image/pull_progress.h"
#include "image/store.h"

namespace podlet::image {

PullPolicy parse_pull_policy(std::string_view policy) {
  if (policy == "Always") return PullPolicy::kAlways;
  if (policy == "IfNotPresent") return PullPolicy::kIfNotPresent;
  if (policy == "Never") return PullPolicy::kNever;
  fail("imagePullPolicy {:?}: not Always, IfNotPresent or Never", std::string(policy));
}

Image Store::ensure_image(std::string_view ref, PullPolicy policy, const PullOptions& options) {
  // "localhost/NAME" (no port) names local images, as in Podman: imported or loaded, never pulled.
  bool local_only = !is_short_name(ref) && parse_reference(ref).registry == "localhost";
  if (policy != PullPolicy::kAlways || local_only)
    if (auto img = find(ref)) return *img;
  if (local_only)
    fail("image {} is not in the store (localhost/ images are never pulled: use podlet image load or import)",
         std::string(ref));
  if (policy == PullPolicy::kNever)
    fail("image {} is not in the store and imagePullPolicy is Never", std::string(ref));
  return pull(ref, options);
}

Image Store::pull(std::string_view ref_text, const PullOptions& options) {
  RegistriesConf loaded;
  if (!options.registries) loaded = load_registries_conf();
  const RegistriesConf& conf = options.registries ? *options.registries : loaded;
  auto candidates = resolve_name(ref_text, conf);
  if (candidates.size() == 1) return pull_reference(candidates[0], options, conf);
  // A short name with several search registries: the first that has it wins (Podman's
  // "permissive" short-name mode; podlet never prompts).
  std::string errors;
  for (const auto& ref : candidates) {
    try {
      return pull_reference(ref, options, conf);
    } catch (const Error& e) {
      spdlog::debug("{}", e.what());
      errors += fmt::format("\n  {}", e.what());
    }
  }
  fail("pull {}: no search registry has it:{}", std::string(ref_text), errors);
}

Image Store::pull_reference(const Reference& ref, const PullOptions& options, const RegistriesConf& conf) {
  return with_context("pull " + ref.string(), [&] {
    if (registry_listed(ref.registry, conf.blocked))
      fail("registry {} is blocked in registries.conf", ref.registry);
    RegistryOptions registry = options.registry;
    for (const auto& r : conf.insecure) registry.insecure_registries.push_back(r);
    ensure_dirs();
    FileLock store(dir_ + "/store.lock", FileLock::Mode::kShared);
    RegistryClient client(ref, registry);

    auto manifest = client.get_manifest(ref.digest.empty() ? ref.tag : ref.digest);
    std::string index_digest;
    if (is_index_media_type(manifest.media_type)) {
      Descriptor chosen = select_platform(parse_index(manifest.body), host_platform());
      index_digest = add_blob_data(manifest.body, manifest.digest);
      manifest = client.get_manifest(chosen.digest);
      if (is_index_media_type(manifest.media_type)) fail("{}: an index inside an index", chosen.digest);
    }
    ManifestDoc doc = parse_manifest(manifest.body);
    std::string manifest_digest = add_blob_data(manifest.body, manifest.digest);

    PullProgress progress(ref.string(), options.quiet);
    auto fetch = [&](const Descriptor& blob) {
      size_t slot = progress.add(blob.digest, blob.size);
      if (has_blob(blob.digest)) return progress.done(slot, "Reusing");
      std::string tmp = temp_path("download");
      ScopeGuard cleanup(
          "download " + tmp, [&] { remove_file(tmp); }, [](const std::string& m) { spdlog::warn("{}", m); });
      client.download_blob(
          blob.digest, tmp, [&](uint64_t bytes) { progress.update(slot, bytes); }, blob.size);
      commit_blob(tmp, blob.digest);  // verifies the content against the digest
      cleanup.dismiss();
      progress.done(slot, "Copied");
    };

    fetch(doc.config);
    ConfigDoc config = with_context("config " + doc.config.digest,
                                    [&] { return parse_config(read_file(blob_path(doc.config.digest))); });
    const auto& layers = doc.layers;
    if (config.diff_ids.size() != layers.size())
      fail("manifest has {} layers but the config lists {} diff_ids", layers.size(), config.diff_ids.size());

    // Workers take layers in order: download, verify, unpack. Layers already unpacked are skipped.
    std::atomic<size_t> next{0};
    std::mutex error_mu;
    std::string first_error;
    auto worker = [&] {
      for (size_t i; (i = next++) < layers.size();) {
        try {
          if (has_layer(config.diff_ids[i])) {
            progress.done(progress.add(layers[i].digest, layers[i].size), "Reusing");
            continue;
          }
          fetch(layers[i]);
          prepare_layer(layers[i].digest, config.diff_ids[i]);
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mu);
          if (first_error.empty()) first_error = e.what();
          next = layers.size();  // stop the others from starting new layers
        }
      }
    };
    size_t n = std::clamp<size_t>(static_cast<size_t>(std::max(options.parallel_downloads, 1)), 1,
                                  std::max<size_t>(layers.size(), 1));
    std::vector<std::thread> threads;
    for (size_t t = 1; t < n; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    progress.finish();
    if (!first_error.empty()) throw Error(first_error);

    // A by-digest pull without a tag gets no tag: it is found again by name@digest.
    return commit_image(manifest_digest, {ref.string()}, index_digest);
  });
}

}  // namespace podlet::image
