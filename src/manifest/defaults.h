// Kubernetes defaulting (pkg/apis/core/v1/defaults.go and the pod registry strategy),
// applied to a decoded pod before validation, as the API server does.
#pragma once

#include <string>
#include <string_view>

#include "manifest/model.h"

namespace podlet::manifest {

void apply_defaults(Pod& pod);

// "Always" for ":latest" or untagged images, else "IfNotPresent" (digests included).
std::string default_pull_policy(std::string_view image);

// A UUID (RFC 4122 version 5 layout) derived from `seed`: the same object always gets
// the same uid, so the same manifest always gives the same plan.
std::string derived_uid(std::string_view seed);

}  // namespace podlet::manifest
