// Store::import_rootfs: a root filesystem tarball becomes a one-layer image with
// a real OCI config and manifest, indistinguishable from a loaded one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "base/error.h"
#include "base/fd.h"
#include "base/file_lock.h"
#include "image/platform.h"
#include "image/store.h"

namespace podlet::image {
namespace {

// The layer media type from the blob's magic bytes.
std::string layer_media_type(const std::string& path) {
  UniqueFd fd = open_fd(path, O_RDONLY);
  unsigned char m[4] = {};
  if (::read(fd.get(), m, sizeof m) < 0) throw system_error("read " + path);
  if (m[0] == 0x1f && m[1] == 0x8b) return "application/vnd.oci.image.layer.v1.tar+gzip";
  if (m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
    return "application/vnd.oci.image.layer.v1.tar+zstd";
  return "application/vnd.oci.image.layer.v1.tar";
}

}  // namespace

Image Store::import_rootfs(const std::string& tar_path, const std::string& name) {
  return with_context("import " + tar_path, [&] {
    std::string normalized = normalize_reference(name);
    ensure_dirs();
    FileLock store(dir_ + "/store.lock", FileLock::Mode::kShared);
    std::string layer_digest = add_blob_file(tar_path);
    struct stat st;
    if (::stat(blob_path(layer_digest).c_str(), &st) < 0) throw system_error("stat blob");
    LayerInfo layer = ensure_layer(layer_digest, "");

    std::string now = format_rfc3339(std::time(nullptr));
    Platform p = host_platform();
    nlohmann::json config{
        {"created", now},
        {"architecture", p.architecture},
        {"os", p.os},
        {"config", {{"Env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}}}},
        {"rootfs", {{"type", "layers"}, {"diff_ids", {layer.diff_id}}}},
        {"history", {{{"created", now}, {"created_by", "podlet image import"}}}}};
    if (!p.variant.empty()) config["variant"] = p.variant;
    std::string config_data = config.dump();
    std::string config_digest = add_blob_data(config_data);
    nlohmann::json manifest{
        {"schemaVersion", 2},
        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
        {"config",
         {{"mediaType", "application/vnd.oci.image.config.v1+json"},
          {"digest", config_digest},
          {"size", config_data.size()}}},
        {"layers",
         {{{"mediaType", layer_media_type(tar_path)}, {"digest", layer_digest}, {"size", st.st_size}}}}};
    std::string manifest_digest = add_blob_data(manifest.dump());
    return commit_image(manifest_digest, {normalized});
  });
}

}  // namespace podlet::image
