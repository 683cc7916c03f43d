// Validation as the Kubernetes API server applies it on create
// (pkg/apis/core/validation, apps and batch validation for workload templates),
// run on defaulted objects. Problems are appended to `out` with the field path and
// the line:column of the field in its file.
#pragma once

#include <vector>

#include "manifest/model.h"

namespace podlet::manifest {

// Checks the pod itself and that every ConfigMap, Secret and key it references is in
// `m` (unless the reference is optional). Also warns about what podlet does not honour.
void validate_pod(const Pod& pod, const Manifest& m, std::vector<Diagnostic>& out);
void validate_config_map(const ConfigMap& cm, std::vector<Diagnostic>& out);
void validate_secret(const Secret& s, std::vector<Diagnostic>& out);
void validate_pvc(const PersistentVolumeClaim& pvc, std::vector<Diagnostic>& out);

}  // namespace podlet::manifest
