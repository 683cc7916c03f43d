// Resolving a pod's images in the local store with imagePullPolicy, into the
// plain data the planner takes.
#pragma once

#include <map>
#include <string>

#include "image/store.h"
#include "manifest/model.h"
#include "plan/planner.h"

namespace podlet::cli {

plan::ImageData image_data(const image::Image& img);

// Keyed by the container's `image` as written. Throws podlet::Error naming the pod,
// the container and the image when one is missing (pulling is not available yet).
std::map<std::string, plan::ImageData> resolve_images(const manifest::Pod& pod, const image::Store& store);

}  // namespace podlet::cli
