// Store: records, lookup, removal and garbage collection.
#include "image/store.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/file_lock.h"
#include "base/fs_tree.h"
#include "image/digest.h"
#include "image/image_docs.h"

namespace fs = std::filesystem;

namespace podlet::image {
namespace {

bool is_hex_prefix(std::string_view s) {
  if (s.size() < 4 || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Store::Store(std::string dir) : dir_(std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  if (dir_.empty() || dir_.front() != '/') dir_ = fs::absolute(dir_.empty() ? "." : dir_).lexically_normal();
}

void Store::ensure_dirs() const {
  make_dirs(dir_, 0700);
  // Layers keep setuid files and root-owned content: host users must not reach them.
  ::chmod(dir_.c_str(), 0700);
  for (const char* sub : {"blobs/sha256", "layers", "images", "tmp"}) make_dirs(dir_ + "/" + sub, 0755);
}

std::string Store::blob_path(std::string_view digest) const {
  return dir_ + "/blobs/sha256/" + digest_hex(digest);
}

bool Store::has_blob(std::string_view digest) const {
  return is_digest(digest) && fs::exists(blob_path(digest));
}

std::string Store::layer_dir(std::string_view diff_id) const {
  return dir_ + "/layers/" + digest_hex(diff_id);
}

bool Store::has_layer(std::string_view diff_id) const {
  return is_digest(diff_id) && fs::exists(layer_dir(diff_id) + "/layer.json");
}

std::vector<std::string> Store::record_paths() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_ + "/images", ec)) {
    auto name = e.path().filename().string();
    if (name.size() == 69 && name.ends_with(".json")) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<Image> Store::read_record(const std::string& path) const {
  nlohmann::json rec;
  try {
    rec = nlohmann::json::parse(read_file(path));
  } catch (const Error&) {
    return std::nullopt;  // removed meanwhile
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("image record {}: {}", path, e.what()));
  }
  return with_context("image record " + path, [&] {
    Image img;
    img.id = rec.at("id").get<std::string>();
    img.names = rec.value("names", std::vector<std::string>{});
    img.manifest_digest = rec.at("manifest").get<std::string>();
    img.digest = rec.value("digest", img.manifest_digest);
    img.created = rec.value("created", int64_t{0});
    img.size = rec.value("size", uint64_t{0});
    ConfigDoc config = parse_config(read_file(blob_path(rec.at("config").get<std::string>())));
    img.config = std::move(config.config);
    img.os = config.os;
    img.architecture = config.architecture;
    const auto& layers = rec.at("layers");
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
      img.layer_dirs.push_back(layer_dir(it->at("diff_id").get<std::string>()) + "/diff");
    return img;
  });
}

std::vector<Image> Store::list() const {
  std::vector<Image> out;
  for (const auto& p : record_paths())
    if (auto img = read_record(p)) out.push_back(std::move(*img));
  std::stable_sort(out.begin(), out.end(),
                   [](const Image& a, const Image& b) { return a.created > b.created; });
  return out;
}

std::optional<Image> Store::find(std::string_view ref) const {
  if (ref.empty()) return std::nullopt;
  auto images = list();
  std::string_view hex = ref.substr(0, 7) == "sha256:" ? ref.substr(7) : ref;
  if (is_hex_prefix(hex)) {
    std::optional<Image> found;
    for (auto& img : images)
      if (img.id.compare(7, hex.size(), hex) == 0) {
        if (found) fail("image id prefix {:?} is ambiguous", std::string(ref));
        found = img;
      }
    if (found) return found;
  }
  std::vector<Reference> candidates;
  if (is_short_name(ref)) {
    RegistriesConf conf = load_registries_conf();  // outside the try: a broken file is an error
    try {
      candidates = resolve_name(ref, conf);
    } catch (const Error&) {
      // not a valid name: only the checks below apply
    }
  }
  try {
    // Names imported or loaded without a registry were normalized to docker.io.
    Reference fallback = parse_reference(ref);
    if (std::find_if(candidates.begin(), candidates.end(),
                     [&](const Reference& c) { return c.string() == fallback.string(); }) == candidates.end())
      candidates.push_back(fallback);
  } catch (const Error&) {
    // not a valid name: nothing more to look for
  }
  for (const auto& r : candidates)
    if (auto img = find_reference(r, images)) return img;
  return std::nullopt;
}

std::optional<Image> Store::find_reference(const Reference& r, const std::vector<Image>& images) const {
  std::string wanted = r.string();
  for (const auto& img : images) {
    for (const auto& n : img.names) {
      if (n == wanted) return img;
      if (!r.digest.empty() && (img.digest == r.digest || img.manifest_digest == r.digest) &&
          parse_reference(n).name() == r.name())
        return img;
    }
  }
  if (!r.digest.empty() && r.tag.empty())
    for (const auto& img : images)
      if ((img.digest == r.digest || img.manifest_digest == r.digest) && img.names.empty()) return img;
  return std::nullopt;
}

void Store::write_names(const std::string& id, const std::vector<std::string>& add) {
  // Caller holds records.lock. A name belongs to one image: move it.
  for (const auto& path : record_paths()) {
    auto rec = nlohmann::json::parse(read_file(path));
    auto names = rec.value("names", std::vector<std::string>{});
    auto before = names.size();
    bool self = rec.at("id").get<std::string>() == id;
    if (self) {
      for (const auto& n : add)
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    } else {
      std::erase_if(names,
                    [&](const std::string& n) { return std::find(add.begin(), add.end(), n) != add.end(); });
    }
    if (self || names.size() != before) {
      rec["names"] = names;
      write_file_atomic(path, rec.dump(2) + "\n", 0600);
    }
  }
}

void Store::tag(std::string_view ref, std::string_view name) {
  std::string normalized = normalize_reference(name);
  ensure_dirs();
  FileLock records(dir_ + "/records.lock");
  auto img = find(ref);
  if (!img) fail("image {:?} not known", std::string(ref));
  write_names(img->id, {normalized});
}

void Store::remove(std::string_view ref, const InUsePredicate& in_use) {
  ensure_dirs();
  FileLock store(dir_ + "/store.lock");
  FileLock records(dir_ + "/records.lock");
  auto img = find(ref);
  if (!img) fail("image {:?} not known", std::string(ref));
  std::string record = dir_ + "/images/" + digest_hex(img->id) + ".json";
  std::string as_name;
  try {
    as_name = normalize_reference(ref);
  } catch (const Error&) {
  }
  auto named = std::find(img->names.begin(), img->names.end(), as_name);
  if (named != img->names.end() && img->names.size() > 1) {
    // Other names remain: only untag.
    auto rec = nlohmann::json::parse(read_file(record));
    img->names.erase(named);
    rec["names"] = img->names;
    write_file_atomic(record, rec.dump(2) + "\n", 0600);
    return;
  }
  if (in_use && in_use(*img))
    fail("image {} ({}) is in use by a pod", std::string(ref), img->id.substr(7, 12));
  if (::unlink(record.c_str()) < 0) throw system_error("remove " + record);
  PruneReport ignored;
  collect_garbage(ignored);
}

PruneReport Store::prune(const InUsePredicate& in_use, bool all) {
  ensure_dirs();
  FileLock store(dir_ + "/store.lock");
  FileLock records(dir_ + "/records.lock");
  PruneReport report;
  for (const auto& img : list()) {
    if (!img.names.empty() && !all) continue;
    if (in_use && in_use(img)) continue;
    std::string record = dir_ + "/images/" + digest_hex(img.id) + ".json";
    if (::unlink(record.c_str()) < 0) throw system_error("remove " + record);
    report.removed_images.push_back(img.id);
  }
  collect_garbage(report);
  return report;
}

void Store::collect_garbage(PruneReport& report) {
  // Caller holds store.lock exclusively: nothing is being added.
  std::set<std::string> blobs, layers;
  for (const auto& path : record_paths()) {
    auto rec = nlohmann::json::parse(read_file(path));
    blobs.insert(digest_hex(rec.at("manifest").get<std::string>()));
    blobs.insert(digest_hex(rec.at("config").get<std::string>()));
    for (const auto& l : rec.at("layers")) {
      blobs.insert(digest_hex(l.at("digest").get<std::string>()));
      layers.insert(digest_hex(l.at("diff_id").get<std::string>()));
    }
    if (rec.contains("digest")) blobs.insert(digest_hex(rec["digest"].get<std::string>()));
  }
  for (const auto& e : fs::directory_iterator(dir_ + "/blobs/sha256")) {
    if (blobs.count(e.path().filename().string())) continue;
    fs::remove(e.path());
    ++report.removed_blobs;
  }
  for (const auto& e : fs::directory_iterator(dir_ + "/layers")) {
    std::string name = e.path().filename().string();
    std::string id = name.ends_with(".lock") ? name.substr(0, name.size() - 5) : name;
    if (layers.count(id)) continue;
    remove_tree(e.path().string());
    if (!name.ends_with(".lock") && name.front() != '.') ++report.removed_layers;
  }
  for (const auto& e : fs::directory_iterator(dir_ + "/tmp")) remove_tree(e.path().string());
}

}  // namespace podlet::image
