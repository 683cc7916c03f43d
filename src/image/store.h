// The content-addressed image store under <dir> (plan::Paths::image_store()):
//   blobs/sha256/<hex>         manifests, configs and layer blobs, verified on arrival
//   layers/<diff_id hex>/diff  each layer unpacked once, shared by every image using it
//   layers/<hex>/layer.json    its diff_id and uncompressed size
//   images/<config hex>.json   image records: names, manifest digest, layers
//   tmp/                       downloads and unpacks in progress (never visible elsewhere)
// Everything becomes visible by an atomic rename, last of all the record, so a
// crash leaves no half-visible image; leftovers are removed by prune.
// Locks: adding images holds <dir>/store.lock shared (so imports and pulls run in
// parallel), each layer is unpacked under layers/<hex>.lock, records are edited
// under <dir>/records.lock; rm and prune hold store.lock exclusively.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "image/image.h"
#include "image/layer_unpack.h"
#include "image/reference.h"
#include "image/registries_conf.h"
#include "image/registry_client.h"

namespace podlet::image {

// Tells rm and prune whether a pod still uses an image (the CLI wires it to the pods' state).
using InUsePredicate = std::function<bool(const Image&)>;

struct PruneReport {
  std::vector<std::string> removed_images;  // ids
  uint64_t removed_layers = 0;
  uint64_t removed_blobs = 0;
};

struct PullOptions {
  RegistryOptions registry;  // registries.conf adds its insecure registries to these
  int parallel_downloads = 3;
  bool quiet = false;  // no progress output (otherwise on stderr: a live line on a tty, plain lines if not)
  const RegistriesConf* registries = nullptr;  // nullptr: load_registries_conf()
};

// imagePullPolicy. The store takes the policy it is given: defaulting it from the
// tag is the manifest layer's (manifest/defaults.h).
enum class PullPolicy { kAlways, kIfNotPresent, kNever };
// "Always" | "IfNotPresent" | "Never"; throws podlet::Error for anything else.
PullPolicy parse_pull_policy(std::string_view policy);

class Store {
 public:
  explicit Store(std::string dir);
  const std::string& dir() const { return dir_; }

  // A plain root filesystem tarball (optionally compressed) becomes a one-layer image
  // with a real OCI config and manifest; the name is normalized ("x" -> docker.io/library/x:latest).
  Image import_rootfs(const std::string& tar_path, const std::string& name);
  // OCI image layout directory, oci-archive tar, or docker-archive tar (docker/podman save).
  // `name`, when given, names the (single) loaded image instead of the archive's own names.
  std::vector<Image> load(const std::string& path, const std::string& name = "");

  // The OCI distribution API: tag or digest, manifest lists/indexes resolved to the host
  // platform, layers downloaded in parallel, verified, unpacked. A short name is resolved
  // through registries.conf (aliases, then each search registry in turn). Names the image
  // with the fully qualified reference it was pulled by.
  Image pull(std::string_view ref, const PullOptions& options = {});
  // What `play` calls: honours the pull policy.
  Image ensure_image(std::string_view ref, PullPolicy policy, const PullOptions& options = {});

  // By name (normalized; a short name through registries.conf's aliases and search
  // registries, see resolve_name), by name@digest, by id ("sha256:..."), or by an
  // unambiguous id prefix (>= 4 hex).
  std::optional<Image> find(std::string_view ref) const;
  std::vector<Image> list() const;
  // Removes a name; when it was the image's last name (or ref is an id) the image goes,
  // unless in_use says a pod uses it (then podlet::Error). Unused layers and blobs go with it.
  void remove(std::string_view ref, const InUsePredicate& in_use = {});
  // Adds a name to an image (moving it away from any other image).
  void tag(std::string_view ref, std::string_view name);
  // Removes images without names (all unused images when `all`), then unreferenced layers,
  // blobs and leftovers of interrupted operations.
  PruneReport prune(const InUsePredicate& in_use = {}, bool all = false);

  // --- building blocks for load and pull ---
  std::string blob_path(std::string_view digest) const;
  bool has_blob(std::string_view digest) const;
  // Copies a file into the blob store, verifying `expected` (if not empty); returns its digest.
  std::string add_blob_file(const std::string& path, std::string_view expected = "");
  std::string add_blob_data(std::string_view data, std::string_view expected = "");
  // Same from an open file (read from its current offset); `what` names it in errors.
  std::string add_blob_fd(int fd, const std::string& what, std::string_view expected = "");
  // A fresh private path under tmp/ for a download (same filesystem as blobs/).
  std::string temp_path(std::string_view hint) const;
  // Moves a finished temp file into blobs/ after checking it hashes to `digest`.
  void commit_blob(const std::string& temp_file, std::string_view digest);
  // Unpacks a layer blob that is in the store unless already done (safe from parallel threads/processes).
  void prepare_layer(std::string_view blob_digest, std::string_view diff_id) {
    ensure_layer(blob_digest, diff_id);
  }
  // Is the layer with this diff_id already unpacked?
  bool has_layer(std::string_view diff_id) const;
  // Makes an image from a manifest blob whose config and layer blobs are all in the store:
  // unpacks missing layers (verifying diff_ids), writes the record, assigns `names`.
  // `index_digest`: the manifest list / index it was chosen from (must be in the store too).
  Image commit_image(std::string_view manifest_digest, const std::vector<std::string>& names,
                     std::string_view index_digest = "");

  UnpackLimits limits;

 private:
  struct LayerInfo {
    std::string diff_id;
    uint64_t size = 0;
  };
  LayerInfo ensure_layer(std::string_view blob_digest, std::string_view diff_id);
  Image pull_reference(const Reference& ref, const PullOptions& options, const RegistriesConf& conf);
  std::optional<Image> find_reference(const Reference& r, const std::vector<Image>& images) const;
  std::string layer_dir(std::string_view diff_id) const;
  std::optional<Image> read_record(const std::string& record_path) const;
  void write_names(const std::string& id, const std::vector<std::string>& add);
  void collect_garbage(PruneReport& report);
  std::vector<std::string> record_paths() const;
  void ensure_dirs() const;

  std::string dir_;
};

}  // namespace podlet::image
