// podlet image ls|inspect|rm|prune|import|load|pull
#include <fmt/core.h>
#include <fmt/ranges.h>

#include <ctime>
#include <filesystem>
#include <functional>
#include <iostream>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "cli/commands.h"
#include "image/store.h"

namespace fs = std::filesystem;

namespace podlet::cli {
namespace {

// Does any JSON document under a pod's state dir name this image (its id, or its
// exact layer stack as a container's root.lower_dirs)?
bool mentions_image(const nlohmann::json& j, const image::Image& img) {
  if (j.is_string()) return j.get<std::string>() == img.id;
  if (j.is_array()) {
    if (!j.empty() && j.front().is_string() && j == nlohmann::json(img.layer_dirs)) return true;
    for (const auto& v : j)
      if (mentions_image(v, img)) return true;
  }
  if (j.is_object())
    for (const auto& [k, v] : j.items())
      if (mentions_image(v, img)) return true;
  return false;
}

// Pods played now (specs under the runroot) and pods with generated unit files
// (specs under the root) both count as users.
image::InUsePredicate pods_using_image(const plan::Paths& paths) {
  return [dirs = std::vector<std::string>{paths.runroot + "/pods", paths.root + "/pods"}](
             const image::Image& img) {
    for (const auto& pods : dirs) {
      std::error_code ec;
      for (auto it = fs::recursive_directory_iterator(pods, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() > 3) it.disable_recursion_pending();
        if (!it->is_regular_file() || it->path().extension() != ".json") continue;
        try {
          if (mentions_image(nlohmann::json::parse(read_file(it->path())), img)) return true;
        } catch (const std::exception&) {
          // a file being rewritten or not JSON: not ours to judge
        }
      }
    }
    return false;
  };
}

std::string human_size(uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) v /= 1000, ++u;
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.3g} {}", v, units[u]);
}

std::string human_age(int64_t created) {
  int64_t d = std::time(nullptr) - created;
  if (created == 0) return "unknown";
  if (d < 120) return "about a minute ago";
  if (d < 7200) return fmt::format("{} minutes ago", d / 60);
  if (d < 2 * 86400) return fmt::format("{} hours ago", d / 3600);
  return fmt::format("{} days ago", d / 86400);
}

void print_table(const std::vector<image::Image>& images) {
  std::cout << fmt::format("{:<45} {:<15} {:<13} {:<20} {}\n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED",
                           "SIZE");
  for (const auto& img : images) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& n : img.names) {
      auto r = image::parse_reference(n);
      rows.emplace_back(r.name(), r.tag.empty() ? "<none>" : r.tag);
    }
    if (rows.empty()) rows.emplace_back("<none>", "<none>");
    for (const auto& [repo, tag] : rows)
      std::cout << fmt::format("{:<45} {:<15} {:<13} {:<20} {}\n", repo, tag, img.id.substr(7, 12),
                               human_age(img.created), human_size(img.size));
  }
}

void print_images(const std::vector<image::Image>& images, const std::string& output, bool quiet) {
  if (output == "json") {
    std::cout << nlohmann::json(images).dump(2) << "\n";
  } else if (quiet) {
    for (const auto& img : images) std::cout << img.id.substr(7, 12) << "\n";
  } else {
    print_table(images);
  }
}

using OpenStore = std::function<image::Store()>;

void add_ls(CLI::App& cmd, GlobalOptions& global, OpenStore store) {
  auto* ls = cmd.add_subcommand("ls", "list images");
  ls->alias("list");
  ls->add_option("-o,--output", global.output, "table|json")->check(CLI::IsMember({"table", "json"}));
  static bool quiet = false;
  ls->add_flag("-q,--quiet", quiet, "print image ids only");
  ls->callback([&global, store] { print_images(store().list(), global.output, quiet); });
}

void add_inspect_and_rm(CLI::App& cmd, GlobalOptions& global, OpenStore store) {
  static std::vector<std::string> refs;
  auto* inspect = cmd.add_subcommand("inspect", "show images as JSON");
  inspect->add_option("image", refs, "image name or id")->required();
  inspect->callback([store] {
    auto s = store();
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : refs) {
      auto img = s.find(r);
      if (!img) fail("image {:?} not known", r);
      out.push_back(*img);
    }
    std::cout << out.dump(2) << "\n";
  });

  auto* rm = cmd.add_subcommand("rm", "remove images (refuses images a pod uses)");
  rm->alias("remove");
  rm->add_option("image", refs, "image name or id")->required();
  rm->callback([&global, store] {
    auto s = store();
    auto in_use = pods_using_image(global.paths());
    for (const auto& r : refs) {
      s.remove(r, in_use);
      std::cout << "Untagged/removed: " << r << "\n";
    }
  });
}

void add_prune(CLI::App& cmd, GlobalOptions& global, OpenStore store) {
  static bool prune_all = false;
  auto* prune = cmd.add_subcommand("prune", "remove unnamed (with -a: all unused) images, layers and blobs");
  prune->add_flag("-a,--all", prune_all, "remove every image no pod uses");
  prune->add_option("-o,--output", global.output, "table|json")->check(CLI::IsMember({"table", "json"}));
  prune->callback([&global, store] {
    auto report = store().prune(pods_using_image(global.paths()), prune_all);
    if (global.output == "json") {
      std::cout << nlohmann::json{{"images", report.removed_images},
                                  {"layers", report.removed_layers},
                                  {"blobs", report.removed_blobs}}
                       .dump(2)
                << "\n";
      return;
    }
    for (const auto& id : report.removed_images) std::cout << id << "\n";
    std::cout << fmt::format("removed {} images, {} layers, {} blobs\n", report.removed_images.size(),
                             report.removed_layers, report.removed_blobs);
  });
}

void add_import_and_load(CLI::App& cmd, OpenStore store) {
  static std::string tar, name;
  auto* import_cmd = cmd.add_subcommand("import", "make a one-layer image from a root filesystem tarball");
  import_cmd->add_option("tarball", tar, "rootfs tar (optionally gzip/zstd compressed)")->required();
  import_cmd->add_option("name", name, "image name, e.g. localhost/busybox:latest")->required();
  import_cmd->callback([store] { std::cout << store().import_rootfs(tar, name).id << "\n"; });

  static std::string load_path, load_name;
  auto* load = cmd.add_subcommand("load", "load an OCI layout directory, oci-archive or docker-archive");
  load->add_option("input", load_path, "directory or tar file")->required();
  load->add_option("-n,--name", load_name, "name for the loaded image (default: the archive's names)");
  load->callback([store] {
    for (const auto& img : store().load(load_path, load_name))
      std::cout << "Loaded image: "
                << (img.names.empty() ? img.id : fmt::format("{}", fmt::join(img.names, ", "))) << "\n";
  });
}

void add_pull(CLI::App& cmd, OpenStore store) {
  static std::string pull_ref;
  static bool tls_verify = true, pull_quiet = false;
  static int parallel = 3;
  auto* pull = cmd.add_subcommand("pull", "pull an image from a registry (OCI distribution API)");
  pull->add_option("image", pull_ref, "e.g. docker.io/library/busybox:latest or name@sha256:...")->required();
  pull->add_option("--tls-verify", tls_verify,
                   "false: allow plain HTTP to this registry (localhost and 127.0.0.0/8 always are)");
  pull->add_flag("-q,--quiet", pull_quiet, "no progress output");
  pull->add_option("--parallel", parallel, "layers downloaded at once (default 3)");
  pull->callback([store] {
    image::PullOptions options;
    options.registry.tls_verify = tls_verify;
    options.quiet = pull_quiet;
    options.parallel_downloads = parallel;
    std::cout << store().pull(pull_ref, options).id << "\n";
  });
}

}  // namespace

void register_image(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("image", "manage images (ls, inspect, rm, prune, pull, load, import)");
  cmd->require_subcommand(1);
  OpenStore store = [&global] { return image::Store(global.paths().image_store()); };
  add_ls(*cmd, global, store);
  add_inspect_and_rm(*cmd, global, store);
  add_prune(*cmd, global, store);
  add_import_and_load(*cmd, store);
  add_pull(*cmd, store);
}

}  // namespace podlet::cli
