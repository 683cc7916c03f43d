// A registry whose answers the tests control: it serves an OCI image layout over
// the distribution API (/v2/, manifests by tag or digest, blobs) from an
// HttpServer on 127.0.0.1, with hooks to stall, grow or hold a blob. For what
// docker-registry cannot be made to do (hang mid-download, send too much, count
// concurrent downloads, serve hostile manifests).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "http_server.h"

namespace podlet::image::testing {

class LayoutRegistry {
 public:
  using Response = HttpServer::Response;
  // Called for every blob answer before it is sent; may change it (or block, briefly).
  std::function<void(const std::string& digest, Response&)> on_blob;
  // Manifests served for a tag instead of the layout's (raw bodies, for hostile documents).
  std::map<std::string, std::string> raw_manifests;

  // `layout`: an OCI layout dir; its index.json's first entry is served as tag `tag` of `repo`.
  LayoutRegistry(std::string layout, std::string repo, std::string tag)
      : layout_(std::move(layout)), repo_(std::move(repo)), tag_(std::move(tag)) {
    auto index = nlohmann::json::parse(read_file(layout_ + "/index.json"));
    top_digest_ = index["manifests"][0]["digest"];
    server_ = std::make_unique<HttpServer>([this](const HttpServer::Request& r) { return answer(r); });
  }
  std::string host() const { return server_->host(); }
  // HTTPS attempts get no answer (instead of a refusal).
  void stall_tls() { server_->refuse_tls = false; }
  std::string ref() const { return host() + "/" + repo_ + ":" + tag_; }
  std::string blob(const std::string& digest) const {
    return read_file(layout_ + "/blobs/sha256/" + digest.substr(7));
  }

 private:
  Response answer(const HttpServer::Request& r) {
    Response resp;
    std::string prefix = "/v2/" + repo_ + "/";
    if (r.path == "/v2/" || r.path == "/v2") return resp;
    if (r.path.rfind(prefix + "manifests/", 0) == 0) {
      std::string what = r.path.substr(prefix.size() + 10);
      if (auto it = raw_manifests.find(what); it != raw_manifests.end()) {
        resp.body = it->second;
        resp.headers.emplace_back("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        return resp;
      }
      std::string digest = what == tag_ ? top_digest_ : what;
      return blob_response(digest, true);
    }
    if (r.path.rfind(prefix + "blobs/", 0) == 0) {
      Response b = blob_response(r.path.substr(prefix.size() + 6), false);
      if (b.status == 200 && on_blob) on_blob(r.path.substr(prefix.size() + 6), b);
      return b;
    }
    resp.status = 404;
    return resp;
  }

  Response blob_response(const std::string& digest, bool manifest) {
    Response resp;
    if (digest.size() != 71 || digest.find('/') != std::string::npos) {
      resp.status = 404;
      return resp;
    }
    try {
      resp.body = blob(digest);
    } catch (...) {
      resp.status = 404;
      resp.body = R"({"errors":[{"code":"MANIFEST_UNKNOWN"}]})";
      return resp;
    }
    if (manifest) {
      auto doc = nlohmann::json::parse(resp.body);
      resp.headers.emplace_back("Content-Type",
                                doc.value("mediaType", "application/vnd.oci.image.manifest.v1+json"));
      resp.headers.emplace_back("Docker-Content-Digest", digest);
    } else {
      resp.headers.emplace_back("Content-Type", "application/octet-stream");
    }
    return resp;
  }

  std::string layout_, repo_, tag_, top_digest_;
  std::unique_ptr<HttpServer> server_;  // last: stopped first
};

}  // namespace podlet::image::testing
