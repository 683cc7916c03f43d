#include "cli/pod_images.h"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "base/error.h"

namespace podlet::cli {

plan::ImageData image_data(const image::Image& img) {
  plan::ImageData d;
  d.id = img.id;
  d.layer_dirs = img.layer_dirs;
  d.entrypoint = img.config.entrypoint;
  d.cmd = img.config.cmd;
  d.env = img.config.env;
  d.working_dir = img.config.working_dir;
  d.user = img.config.user;
  return d;
}

std::map<std::string, plan::ImageData> resolve_images(const manifest::Pod& pod, const image::Store& store) {
  std::map<std::string, plan::ImageData> out;
  for (const auto* c : pod.all_containers()) {
    if (out.count(c->image)) continue;
    std::optional<image::Image> img;
    try {
      img = store.find(c->image);
    } catch (const Error& e) {
      throw Error(fmt::format("pod {}: container {}: image {}: {}", pod.key(), c->name, c->image, e.what()));
    }
    if (!img) {
      std::string why = c->image_pull_policy == "Never"
                            ? "imagePullPolicy is Never"
                            : "pulling from registries is not implemented yet; use `podlet image load` or `podlet image import`";
      throw Error(fmt::format("pod {}: container {}: image {} is not in the local store ({})", pod.key(), c->name,
                              c->image, why));
    }
    if (c->image_pull_policy == "Always")
      spdlog::warn("pod {}: container {}: imagePullPolicy Always: pulling is not implemented yet, using the local {}",
                   pod.key(), c->name, c->image);
    out.emplace(c->image, image_data(*img));
  }
  return out;
}

}  // namespace podlet::cli
