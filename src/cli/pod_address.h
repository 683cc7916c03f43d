// The pod's IP as IPAM recorded it when the infra attached the pod network.
#pragma once

#include <string>

#include "plan/paths.h"
#include "plan/pod_plan.h"

namespace podlet::cli {

// "" when the pod has no pod network (hostNetwork) or is not attached.
std::string pod_address(const plan::PodPlan& plan, const plan::Paths& paths);
// The same from the pod's network alone (its pod_uid is the IPAM key).
std::string pod_address(const plan::NetworkSpec& network, const plan::Paths& paths);

}  // namespace podlet::cli
