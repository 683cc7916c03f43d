#include "cli/pod_images.h"

#include <fmt/core.h>

#include "base/error.h"
#include "manifest/defaults.h"

namespace podlet::cli {
namespace {

// The manifest layer defaults imagePullPolicy; a hand-built pod that left it ""
// gets the same rule.
image::PullPolicy pull_policy(const manifest::Container& c) {
  return image::parse_pull_policy(c.image_pull_policy.empty() ? manifest::default_pull_policy(c.image)
                                                              : c.image_pull_policy);
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
