// Decoders for pod volumes and their sources.
#include "manifest/decode.h"

namespace podlet::manifest::detail {

void decode(DocContext& c, const Node* n, const std::string& path, ServiceAccountTokenProjection& out) {
  Fields f(c, n, path);
  f.get("audience", out.audience);
  f.get("expirationSeconds", out.expiration_seconds);
  f.get("path", out.path);
  c.warn(n, path,
         "podlet does not honour this field; it is ignored (no service account tokens without a cluster)");
}

namespace {

// Projections are a ConfigMap/Secret without defaultMode, and a Secret's name is
// "name" there; read from tables of their own so that "defaultMode" inside a
// projection is an unknown field, as in Kubernetes.
using CM = ConfigMapVolumeSource;
using SV = SecretVolumeSource;
constexpr std::tuple kConfigMapProjection{Field{"name", &CM::name}, Field{"items", &CM::items},
                                          Field{"optional", &CM::optional}};
constexpr std::tuple kSecretProjection{Field{"name", &SV::secret_name}, Field{"items", &SV::items},
                                       Field{"optional", &SV::optional}};

template <typename Source, typename Table>
void take_projection(Fields& parent, std::string_view key, const Table& table, std::optional<Source>& out) {
  const Node* n = parent.take(key);
  if (!n) return;
  Fields f(parent.ctx(), n, parent.path(key));
  Source v;
  read_fields(f, v, table);
  out = std::move(v);
}

}  // namespace

void decode(DocContext& c, const Node* n, const std::string& path, VolumeProjection& out) {
  Fields f(c, n, path);
  take_projection(f, "configMap", kConfigMapProjection, out.config_map);
  take_projection(f, "secret", kSecretProjection, out.secret);
  f.get("downwardAPI", out.downward_api);
  f.get("serviceAccountToken", out.service_account_token);
  f.not_honoured("clusterTrustBundle", "needs a cluster");
}

constexpr std::tuple kVolumeFields{Field{"name", &Volume::name},
                                   Field{"emptyDir", &Volume::empty_dir},
                                   Field{"hostPath", &Volume::host_path},
                                   Field{"configMap", &Volume::config_map},
                                   Field{"secret", &Volume::secret},
                                   Field{"persistentVolumeClaim", &Volume::persistent_volume_claim},
                                   Field{"downwardAPI", &Volume::downward_api},
                                   Field{"projected", &Volume::projected},
                                   Field{"image", &Volume::image}};

void decode(DocContext& c, const Node* n, const std::string& path, Volume& out) {
  Fields f(c, n, path);
  read_fields(f, out, kVolumeFields);
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
