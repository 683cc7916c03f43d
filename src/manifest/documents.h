// Turns one YAML document into model objects by its apiVersion/kind. Internal.
#pragma once

#include <string>

#include "manifest/decoder.h"

namespace podlet::manifest::detail {

// Decodes `root` (a document, or an item of a v1 List when `prefix` is "items[i]")
// and appends what it holds to `out`: pods, ConfigMaps, Secrets, PVCs. Kinds podlet
// does not run produce a warning.
void decode_document(DocContext& c, const Node* root, const std::string& prefix, Manifest& out);

// Strict standard base64 as Kubernetes decodes []byte fields (line breaks ignored).
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace podlet::manifest::detail
