// Decoders of the model's structs (see decoder.h for the mechanics): the structs
// read key by key come from field_tables.h, the others have a decoder here. Internal.
#pragma once

#include "manifest/decoder.h"
#include "manifest/field_tables.h"

namespace podlet::manifest::detail {

#define PODLET_DECODER(T) void decode(DocContext& c, const Node* n, const std::string& path, T& out)
PODLET_DECODER(ObjectMeta);
PODLET_DECODER(SecurityContext);
PODLET_DECODER(PodSecurityContext);
PODLET_DECODER(Probe);
PODLET_DECODER(Container);
PODLET_DECODER(ServiceAccountTokenProjection);
PODLET_DECODER(VolumeProjection);
PODLET_DECODER(Volume);
PODLET_DECODER(PodSpec);
#undef PODLET_DECODER

}  // namespace podlet::manifest::detail
