#include "cli/pod_images.h"

#include <fmt/core.h>

#include "base/error.h"

namespace podlet::cli {
namespace {

// The manifest layer defaults imagePullPolicy from the tag; "" only for hand-built pods.
image::PullPolicy pull_policy(const manifest::Container& c) {
  if (c.image_pull_policy == "Never") return image::PullPolicy::kNever;
  if (c.image_pull_policy == "Always") return image::PullPolicy::kAlways;
  if (c.image_pull_policy == "IfNotPresent") return image::PullPolicy::kIfNotPresent;
  return image::default_pull_policy(c.image);
}

}  // namespace

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

std::map<std::string, plan::ImageData> resolve_images(const manifest::Pod& pod, image::Store& store) {
  std::map<std::string, plan::ImageData> out;
  for (const auto* c : pod.all_containers()) {
    if (out.count(c->image)) continue;
    try {
      out.emplace(c->image, image_data(store.ensure_image(c->image, pull_policy(*c))));
    } catch (const Error& e) {
      throw Error(fmt::format("pod {}: container {}: image {}: {}", pod.key(), c->name, c->image, e.what()));
    }
  }
  return out;
}

}  // namespace podlet::cli
