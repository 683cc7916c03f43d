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

// Keyed by the container's `image` as written. Honours imagePullPolicy (Always pulls,
// IfNotPresent pulls when missing, Never only looks in the store). Throws podlet::Error
// naming the pod, the container and the image when one cannot be had.
std::map<std::string, plan::ImageData> resolve_images(const manifest::Pod& pod, image::Store& store);

}  // namespace podlet::cli
