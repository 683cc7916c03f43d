#include "cli/pod_address.h"

#include <spdlog/spdlog.h>

#include "base/error.h"
#include "network/pod_network.h"

namespace podlet::cli {

std::string pod_address(const plan::PodPlan& plan, const plan::Paths& paths) {
  if (!plan.infra.network.enabled) return "";
  try {
    for (const auto& [uid, addr] : network::list_attachments(plan.infra.network, paths.ipam()))
      if (uid == plan.uid) return addr.ip;
  } catch (const Error& e) {
    spdlog::debug("pod {}: reading its address: {}", plan.qualified_name(), e.what());
  }
  return "";
}

}  // namespace podlet::cli
