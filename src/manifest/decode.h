// Decoders of the model's structs (see decoder.h for the mechanics). Internal.
#pragma once

#include "manifest/decoder.h"

namespace podlet::manifest::detail {

#define PODLET_DECODER(T) void decode(DocContext& c, const Node* n, const std::string& path, T& out)
PODLET_DECODER(ObjectMeta);
PODLET_DECODER(ObjectFieldSelector);
PODLET_DECODER(ResourceFieldSelector);
PODLET_DECODER(ConfigMapKeySelector);
PODLET_DECODER(SecretKeySelector);
PODLET_DECODER(EnvVarSource);
PODLET_DECODER(EnvVar);
PODLET_DECODER(ConfigMapEnvSource);
PODLET_DECODER(SecretEnvSource);
PODLET_DECODER(EnvFromSource);
PODLET_DECODER(ContainerPort);
PODLET_DECODER(VolumeMount);
PODLET_DECODER(VolumeDevice);
PODLET_DECODER(ResourceRequirements);
PODLET_DECODER(Capabilities);
PODLET_DECODER(SELinuxOptions);
PODLET_DECODER(SeccompProfile);
PODLET_DECODER(AppArmorProfile);
PODLET_DECODER(SecurityContext);
PODLET_DECODER(Sysctl);
PODLET_DECODER(PodSecurityContext);
PODLET_DECODER(ExecAction);
PODLET_DECODER(HTTPHeader);
PODLET_DECODER(HTTPGetAction);
PODLET_DECODER(TCPSocketAction);
PODLET_DECODER(GRPCAction);
PODLET_DECODER(SleepAction);
PODLET_DECODER(Probe);
PODLET_DECODER(LifecycleHandler);
PODLET_DECODER(Lifecycle);
PODLET_DECODER(Container);
PODLET_DECODER(KeyToPath);
PODLET_DECODER(EmptyDirVolumeSource);
PODLET_DECODER(HostPathVolumeSource);
PODLET_DECODER(ConfigMapVolumeSource);
PODLET_DECODER(SecretVolumeSource);
PODLET_DECODER(PersistentVolumeClaimVolumeSource);
PODLET_DECODER(DownwardAPIVolumeFile);
PODLET_DECODER(DownwardAPIVolumeSource);
PODLET_DECODER(ServiceAccountTokenProjection);
PODLET_DECODER(VolumeProjection);
PODLET_DECODER(ProjectedVolumeSource);
PODLET_DECODER(ImageVolumeSource);
PODLET_DECODER(Volume);
PODLET_DECODER(HostAlias);
PODLET_DECODER(PodDNSConfigOption);
PODLET_DECODER(PodDNSConfig);
PODLET_DECODER(LocalObjectReference);
PODLET_DECODER(PodSpec);
#undef PODLET_DECODER

}  // namespace podlet::manifest::detail
