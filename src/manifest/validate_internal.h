// The pieces of pod validation, one file each. Internal.
#pragma once

#include <set>
#include <string>

#include "manifest/checker.h"

namespace podlet::manifest::detail {

struct PodContext {
  const Pod& pod;
  const Manifest& manifest;
  Checker& ck;
  std::string spec;  // path of the pod spec in its document
  std::set<std::string> volume_names;
  std::set<std::string> container_names;  // init and app containers
};

enum class ContainerKind { kInit, kSidecar, kApp };

void validate_volumes(PodContext& p);
void validate_container(PodContext& p, const Container& c, const std::string& path, ContainerKind kind);
void validate_probe(Checker& ck, const Probe& probe, const std::string& path, bool readiness);
void validate_lifecycle(Checker& ck, const Lifecycle& l, const std::string& path, int64_t grace);
void validate_security_context(Checker& ck, const SecurityContext& sc, const std::string& path);
void validate_object_field_selector(Checker& ck, const ObjectFieldSelector& s, const std::string& path,
                                    bool for_env);
void validate_resource_field_selector(PodContext& p, const ResourceFieldSelector& s, const std::string& path,
                                      bool for_env);
// References to ConfigMaps, Secrets and PVCs outside the pod.
void validate_references(PodContext& p);

}  // namespace podlet::manifest::detail
