#include "image/image_docs.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "image/digest.h"

namespace podlet::image {
namespace {

using nlohmann::json;

json parse_object(std::string_view body, const char* what) {
  if (body.size() > kMaxImageDocSize) fail("{} is larger than {} bytes", what, kMaxImageDocSize);
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) fail("{} is not valid JSON", what);
  if (!doc.is_object()) fail("{} is not a JSON object", what);
  return doc;
}

// Absent -> "", present but not a string -> error.
std::string opt_string(const json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (!it->is_string()) fail("{}.{}: not a string", where, key);
  return it->get<std::string>();
}

std::string req_string(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) fail("{}.{}: missing", where, key);
  std::string s = opt_string(j, key, where);
  if (s.empty()) fail("{}.{}: empty", where, key);
  return s;
}

const json& req_field(const json& j, const char* key, const std::string& where, json::value_t type) {
  auto it = j.find(key);
  if (it == j.end()) fail("{}.{}: missing", where, key);
  if (it->type() != type) fail("{}.{}: wrong type", where, key);
  return *it;
}

std::string checked_digest(std::string d, const std::string& where) {
  if (!is_digest(d)) fail("{}: invalid digest (want sha256:<64 lowercase hex digits>)", where);
  return d;
}

Descriptor parse_descriptor(const json& j, const std::string& where) {
  if (!j.is_object()) fail("{}: not an object", where);
  Descriptor d;
  d.media_type = opt_string(j, "mediaType", where);
  d.digest = checked_digest(req_string(j, "digest", where), where + ".digest");
  if (auto it = j.find("size"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) fail("{}.size: not an integer", where);
    if (it->is_number_unsigned())
      d.size = it->get<uint64_t>();
    else if (it->get<int64_t>() < 0)
      fail("{}.size: negative", where);
    else
      d.size = static_cast<uint64_t>(it->get<int64_t>());
  }
  if (auto it = j.find("platform"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) fail("{}.platform: not an object", where);
    d.os = opt_string(*it, "os", where + ".platform");
    d.architecture = opt_string(*it, "architecture", where + ".platform");
    d.variant = opt_string(*it, "variant", where + ".platform");
  }
  if (auto it = j.find("annotations"); it != j.end() && it->is_object()) {
    if (std::string n = opt_string(*it, "io.containerd.image.name", where + ".annotations"); !n.empty()) {
      d.ref_name = n;
      d.containerd_name = true;
    } else {
      d.ref_name = opt_string(*it, "org.opencontainers.image.ref.name", where + ".annotations");
    }
  }
  return d;
}

std::vector<std::string> string_array(const json& j, const std::string& where) {
  if (!j.is_array()) fail("{}: not an array", where);
  std::vector<std::string> out;
  for (const auto& v : j) {
    if (!v.is_string()) fail("{}: not a list of strings", where);
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

bool is_index_media_type(const std::string& mt) {
  return mt == "application/vnd.oci.image.index.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.list.v2+json";
}

bool is_layer_media_type(const std::string& mt) {
  static const char* const kTypes[] = {
      "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.oci.image.layer.v1.tar+zstd",
      "application/vnd.docker.image.rootfs.diff.tar",
      "application/vnd.docker.image.rootfs.diff.tar.gzip",
      "application/vnd.docker.image.rootfs.diff.tar.zstd",
  };
  for (const char* t : kTypes)
    if (mt == t) return true;
  return false;
}

std::string document_media_type(std::string_view body, std::string_view content_type) {
  json doc = json::parse(body.substr(0, kMaxImageDocSize + 1), nullptr, false);
  if (doc.is_object()) {
    if (auto it = doc.find("mediaType");
        it != doc.end() && it->is_string() && !it->get<std::string>().empty())
      return it->get<std::string>();
  }
  std::string ct(content_type.substr(0, content_type.find(';')));
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  if (!ct.empty() && ct != "application/json" && ct != "text/plain" && ct != "application/octet-stream")
    return ct;
  // An OCI document without mediaType: an index lists "manifests", a manifest has "config".
  if (doc.is_object() && doc.contains("manifests")) return "application/vnd.oci.image.index.v1+json";
  return "application/vnd.oci.image.manifest.v1+json";
}

IndexDoc parse_index(std::string_view body) {
  json doc = parse_object(body, "image index");
  IndexDoc out;
  out.media_type = opt_string(doc, "mediaType", "index");
  const json& manifests = req_field(doc, "manifests", "index", json::value_t::array);
  for (size_t i = 0; i < manifests.size(); ++i)
    out.manifests.push_back(parse_descriptor(manifests[i], "index.manifests[" + std::to_string(i) + "]"));
  return out;
}

ManifestDoc parse_manifest(std::string_view body) {
  json doc = parse_object(body, "image manifest");
  ManifestDoc out;
  auto version = doc.find("schemaVersion");
  if (version == doc.end() || !version->is_number_integer() || version->get<int64_t>() != 2)
    fail("image manifest: schemaVersion is not 2 (Docker schema 1 images are not supported)");
  out.media_type = opt_string(doc, "mediaType", "manifest");
  if (is_index_media_type(out.media_type)) fail("image manifest: is an image index, not a manifest");
  out.config =
      parse_descriptor(req_field(doc, "config", "manifest", json::value_t::object), "manifest.config");
  const json& layers = req_field(doc, "layers", "manifest", json::value_t::array);
  for (size_t i = 0; i < layers.size(); ++i) {
    std::string where = "manifest.layers[" + std::to_string(i) + "]";
    out.layers.push_back(parse_descriptor(layers[i], where));
    if (!is_layer_media_type(out.layers.back().media_type))
      fail("{}: unsupported layer media type {:?}", where, out.layers.back().media_type);
  }
  return out;
}

ConfigDoc parse_config(std::string_view body) {
  json doc = parse_object(body, "image config");
  ConfigDoc out;
  out.os = opt_string(doc, "os", "config");
  out.architecture = opt_string(doc, "architecture", "config");
  out.variant = opt_string(doc, "variant", "config");
  out.created = parse_rfc3339(opt_string(doc, "created", "config"));
  const json& rootfs = req_field(doc, "rootfs", "config", json::value_t::object);
  auto diff_ids = string_array(req_field(rootfs, "diff_ids", "config.rootfs", json::value_t::array),
                               "config.rootfs.diff_ids");
  for (size_t i = 0; i < diff_ids.size(); ++i)
    out.diff_ids.push_back(checked_digest(diff_ids[i], "config.rootfs.diff_ids[" + std::to_string(i) + "]"));
  out.config = parse_image_config(doc);
  return out;
}

}  // namespace podlet::image
