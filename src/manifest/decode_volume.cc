// Decoders for pod volumes and their sources.
#include "manifest/decode.h"

namespace podlet::manifest::detail {

void decode(DocContext& c, const Node* n, const std::string& path, KeyToPath& out) {
  Fields f(c, n, path);
  f.get("key", out.key);
  f.get("path", out.path);
  f.get("mode", out.mode);
}

void decode(DocContext& c, const Node* n, const std::string& path, EmptyDirVolumeSource& out) {
  Fields f(c, n, path);
  f.get("medium", out.medium);
  f.get("sizeLimit", out.size_limit);
}

void decode(DocContext& c, const Node* n, const std::string& path, HostPathVolumeSource& out) {
  Fields f(c, n, path);
  f.get("path", out.path);
  f.get("type", out.type);
}

void decode(DocContext& c, const Node* n, const std::string& path, ConfigMapVolumeSource& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("items", out.items);
  f.get("defaultMode", out.default_mode);
  f.get("optional", out.optional);
}

void decode(DocContext& c, const Node* n, const std::string& path, SecretVolumeSource& out) {
  Fields f(c, n, path);
  f.get("secretName", out.secret_name);
  f.get("items", out.items);
  f.get("defaultMode", out.default_mode);
  f.get("optional", out.optional);
}

void decode(DocContext& c, const Node* n, const std::string& path, PersistentVolumeClaimVolumeSource& out) {
  Fields f(c, n, path);
  f.get("claimName", out.claim_name);
  f.get("readOnly", out.read_only);
}

void decode(DocContext& c, const Node* n, const std::string& path, DownwardAPIVolumeFile& out) {
  Fields f(c, n, path);
  f.get("path", out.path);
  f.get("fieldRef", out.field_ref);
  f.get("resourceFieldRef", out.resource_field_ref);
  f.get("mode", out.mode);
}

void decode(DocContext& c, const Node* n, const std::string& path, DownwardAPIVolumeSource& out) {
  Fields f(c, n, path);
  f.get("items", out.items);
  f.get("defaultMode", out.default_mode);
}

void decode(DocContext& c, const Node* n, const std::string& path, ServiceAccountTokenProjection& out) {
  Fields f(c, n, path);
  f.get("audience", out.audience);
  f.get("expirationSeconds", out.expiration_seconds);
  f.get("path", out.path);
  c.warn(n, path,
         "podlet does not honour this field; it is ignored (no service account tokens without a cluster)");
}

// Projections are a ConfigMap/Secret without defaultMode; decoded here so that
// "defaultMode" inside a projection is an unknown field, as in Kubernetes.
static void decode_projection_config_map(DocContext& c, const Node* n, const std::string& path,
                                         std::optional<ConfigMapVolumeSource>& out) {
  Fields f(c, n, path);
  ConfigMapVolumeSource v;
  f.get("name", v.name);
  f.get("items", v.items);
  f.get("optional", v.optional);
  out = std::move(v);
}

static void decode_projection_secret(DocContext& c, const Node* n, const std::string& path,
                                     std::optional<SecretVolumeSource>& out) {
  Fields f(c, n, path);
  SecretVolumeSource v;
  f.get("name", v.secret_name);
  f.get("items", v.items);
  f.get("optional", v.optional);
  out = std::move(v);
}

void decode(DocContext& c, const Node* n, const std::string& path, VolumeProjection& out) {
  Fields f(c, n, path);
  if (const Node* v = f.take("configMap"))
    decode_projection_config_map(c, v, f.path("configMap"), out.config_map);
  if (const Node* v = f.take("secret")) decode_projection_secret(c, v, f.path("secret"), out.secret);
  f.get("downwardAPI", out.downward_api);
  f.get("serviceAccountToken", out.service_account_token);
  f.not_honoured("clusterTrustBundle", "needs a cluster");
}

void decode(DocContext& c, const Node* n, const std::string& path, ProjectedVolumeSource& out) {
  Fields f(c, n, path);
  f.get("sources", out.sources);
  f.get("defaultMode", out.default_mode);
}

void decode(DocContext& c, const Node* n, const std::string& path, ImageVolumeSource& out) {
  Fields f(c, n, path);
  f.get("reference", out.reference);
  f.get("pullPolicy", out.pull_policy);
}

void decode(DocContext& c, const Node* n, const std::string& path, Volume& out) {
  Fields f(c, n, path);
  f.get("name", out.name);
  f.get("emptyDir", out.empty_dir);
  f.get("hostPath", out.host_path);
  f.get("configMap", out.config_map);
  f.get("secret", out.secret);
  f.get("persistentVolumeClaim", out.persistent_volume_claim);
  f.get("downwardAPI", out.downward_api);
  f.get("projected", out.projected);
  f.get("image", out.image);
  // Network and cloud volume types need a cluster or plugins podlet does not have.
  static constexpr std::string_view kUnsupported[] = {"gcePersistentDisk",
                                                      "awsElasticBlockStore",
                                                      "gitRepo",
                                                      "nfs",
                                                      "iscsi",
                                                      "glusterfs",
                                                      "rbd",
                                                      "flexVolume",
                                                      "cinder",
                                                      "cephfs",
                                                      "flocker",
                                                      "fc",
                                                      "azureFile",
                                                      "azureDisk",
                                                      "vsphereVolume",
                                                      "quobyte",
                                                      "photonPersistentDisk",
                                                      "portworxVolume",
                                                      "scaleIO",
                                                      "storageos",
                                                      "csi",
                                                      "ephemeral"};
  for (auto kind : kUnsupported) {
    if (const Node* v = f.take(kind))
      c.error(v, f.path(kind), "volume type " + std::string(kind) + " is not supported by podlet");
  }
}

}  // namespace podlet::manifest::detail
