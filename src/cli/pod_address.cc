#include "cli/pod_address.h"

#include <spdlog/spdlog.h>

#include "base/error.h"
#include "network/pod_network.h"

namespace podlet::cli {

std::string pod_address(const plan::PodPlan& plan, const plan::Paths& paths) {
  return pod_address(plan.infra.network, paths);
}

std::string pod_address(const plan::NetworkSpec& network, const plan::Paths& paths) {
  if (!network.enabled) return "";
  try {
    for (const auto& [uid, addr] : network::list_attachments(network, paths.ipam()))
      if (uid == network.pod_uid) return addr.ip;
  } catch (const Error& e) {
    spdlog::debug("pod uid {}: reading its address: {}", network.pod_uid, e.what());
  }
  return "";
}

}  // namespace podlet::cli
