// The structs that are read key by key, with nothing to default, check or refuse:
// each is decoded from a table of its YAML keys and the members they fill (or the
// fields it does not honour), in the order the keys are matched to typos. Structs
// with more to do than that have a decoder of their own (decode.h). Internal.
#pragma once

#include <tuple>

#include "manifest/decoder.h"

namespace podlet::manifest::detail {

// Specialised below, with `static constexpr std::tuple fields{Field{...}, ...}`.
template <typename T>
struct FieldTable;

template <typename T>
concept TableDecoded = requires {
  FieldTable<T>::fields;
};

template <TableDecoded T>
void decode(DocContext& c, const Node* n, const std::string& path, T& out) {
  Fields f(c, n, path);
  read_fields(f, out, FieldTable<T>::fields);
}

// S names T inside the table, so that rows read Field{"key", &S::member}.
#define PODLET_FIELD_TABLE(T, ...)                   \
  template <>                                        \
  struct FieldTable<T> {                             \
    using S = T;                                     \
    static constexpr std::tuple fields{__VA_ARGS__}; \
  }

// env
PODLET_FIELD_TABLE(ObjectFieldSelector, Field{"apiVersion", &S::api_version},
                   Field{"fieldPath", &S::field_path});
PODLET_FIELD_TABLE(ResourceFieldSelector, Field{"containerName", &S::container_name},
                   Field{"resource", &S::resource}, Field{"divisor", &S::divisor});
PODLET_FIELD_TABLE(KeySelector, Field{"name", &S::name}, Field{"key", &S::key},
                   Field{"optional", &S::optional});
PODLET_FIELD_TABLE(EnvVarSource, Field{"fieldRef", &S::field_ref},
                   Field{"resourceFieldRef", &S::resource_field_ref},
                   Field{"configMapKeyRef", &S::config_map_key_ref},
                   Field{"secretKeyRef", &S::secret_key_ref});
PODLET_FIELD_TABLE(EnvVar, Field{"name", &S::name}, Field{"value", &S::value},
                   Field{"valueFrom", &S::value_from});
PODLET_FIELD_TABLE(EnvSourceRef, Field{"name", &S::name}, Field{"optional", &S::optional});
PODLET_FIELD_TABLE(EnvFromSource, Field{"prefix", &S::prefix}, Field{"configMapRef", &S::config_map_ref},
                   Field{"secretRef", &S::secret_ref});

// ports, mounts, resources, security
PODLET_FIELD_TABLE(ContainerPort, Field{"name", &S::name}, Field{"containerPort", &S::container_port},
                   Field{"hostPort", &S::host_port}, Field{"protocol", &S::protocol},
                   Field{"hostIP", &S::host_ip});
PODLET_FIELD_TABLE(VolumeMount, Field{"name", &S::name}, Field{"readOnly", &S::read_only},
                   Field{"recursiveReadOnly", &S::recursive_read_only}, Field{"mountPath", &S::mount_path},
                   Field{"subPath", &S::sub_path}, Field{"subPathExpr", &S::sub_path_expr},
                   Field{"mountPropagation", &S::mount_propagation});
PODLET_FIELD_TABLE(VolumeDevice, Field{"name", &S::name}, Field{"devicePath", &S::device_path});
PODLET_FIELD_TABLE(ResourceRequirements, Field{"limits", &S::limits}, Field{"requests", &S::requests},
                   NotHonoured{"claims", "dynamic resource allocation needs a cluster"});
PODLET_FIELD_TABLE(Capabilities, Field{"add", &S::add}, Field{"drop", &S::drop});
PODLET_FIELD_TABLE(SELinuxOptions, Field{"user", &S::user}, Field{"role", &S::role}, Field{"type", &S::type},
                   Field{"level", &S::level});
PODLET_FIELD_TABLE(SecurityProfile, Field{"type", &S::type},
                   Field{"localhostProfile", &S::localhost_profile});

// probes, lifecycle
PODLET_FIELD_TABLE(ExecAction, Field{"command", &S::command});
PODLET_FIELD_TABLE(HTTPHeader, Field{"name", &S::name}, Field{"value", &S::value});
PODLET_FIELD_TABLE(HTTPGetAction, Field{"path", &S::path}, Field{"port", &S::port}, Field{"host", &S::host},
                   Field{"scheme", &S::scheme}, Field{"httpHeaders", &S::http_headers});
PODLET_FIELD_TABLE(TCPSocketAction, Field{"port", &S::port}, Field{"host", &S::host});
PODLET_FIELD_TABLE(GRPCAction, Field{"port", &S::port}, Field{"service", &S::service});
PODLET_FIELD_TABLE(SleepAction, Field{"seconds", &S::seconds});
PODLET_FIELD_TABLE(LifecycleHandler, Field{"exec", &S::exec}, Field{"httpGet", &S::http_get},
                   Field{"tcpSocket", &S::tcp_socket}, Field{"sleep", &S::sleep});
PODLET_FIELD_TABLE(Lifecycle, Field{"postStart", &S::post_start}, Field{"preStop", &S::pre_stop},
                   Field{"stopSignal", &S::stop_signal});

// volumes
PODLET_FIELD_TABLE(KeyToPath, Field{"key", &S::key}, Field{"path", &S::path}, Field{"mode", &S::mode});
PODLET_FIELD_TABLE(EmptyDirVolumeSource, Field{"medium", &S::medium}, Field{"sizeLimit", &S::size_limit});
PODLET_FIELD_TABLE(HostPathVolumeSource, Field{"path", &S::path}, Field{"type", &S::type});
PODLET_FIELD_TABLE(ConfigMapVolumeSource, Field{"name", &S::name}, Field{"items", &S::items},
                   Field{"defaultMode", &S::default_mode}, Field{"optional", &S::optional});
PODLET_FIELD_TABLE(SecretVolumeSource, Field{"secretName", &S::secret_name}, Field{"items", &S::items},
                   Field{"defaultMode", &S::default_mode}, Field{"optional", &S::optional});
PODLET_FIELD_TABLE(PersistentVolumeClaimVolumeSource, Field{"claimName", &S::claim_name},
                   Field{"readOnly", &S::read_only});
PODLET_FIELD_TABLE(DownwardAPIVolumeFile, Field{"path", &S::path}, Field{"fieldRef", &S::field_ref},
                   Field{"resourceFieldRef", &S::resource_field_ref}, Field{"mode", &S::mode});
PODLET_FIELD_TABLE(DownwardAPIVolumeSource, Field{"items", &S::items},
                   Field{"defaultMode", &S::default_mode});
PODLET_FIELD_TABLE(ProjectedVolumeSource, Field{"sources", &S::sources},
                   Field{"defaultMode", &S::default_mode});
PODLET_FIELD_TABLE(ImageVolumeSource, Field{"reference", &S::reference},
                   Field{"pullPolicy", &S::pull_policy});

// pod
PODLET_FIELD_TABLE(Sysctl, Field{"name", &S::name}, Field{"value", &S::value});
PODLET_FIELD_TABLE(HostAlias, Field{"ip", &S::ip}, Field{"hostnames", &S::hostnames});
PODLET_FIELD_TABLE(PodDNSConfigOption, Field{"name", &S::name}, Field{"value", &S::value});
PODLET_FIELD_TABLE(PodDNSConfig, Field{"nameservers", &S::nameservers}, Field{"searches", &S::searches},
                   Field{"options", &S::options});
PODLET_FIELD_TABLE(LocalObjectReference, Field{"name", &S::name});

#undef PODLET_FIELD_TABLE

}  // namespace podlet::manifest::detail
