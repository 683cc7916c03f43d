// Fuzzes what podlet reads from registries and archives before any digest can
// vouch for it: image index / manifest list, image manifest and image config JSON,
// the media type guess, platform choice, WWW-Authenticate challenges, image
// references and what credential helpers print. Any input must give a value or a podlet::Error, never another
// exception, a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "image/credential_helper.h"
#include "image/image_docs.h"
#include "image/platform.h"
#include "image/reference.h"
#include "image/registry_auth.h"

namespace {

template <typename F>
void expect_value_or_error(F&& f) {
  try {
    f();
  } catch (const podlet::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace podlet::image;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)is_index_media_type(document_media_type(text, text.substr(0, 64)));
  expect_value_or_error([&] {
    IndexDoc index = parse_index(text);
    (void)select_platform(index, {"linux", "amd64", ""});
    (void)select_platform(index, {"linux", "arm64", "v8"});
  });
  expect_value_or_error([&] {
    ManifestDoc m = parse_manifest(text);
    if (m.config.digest.size() != 71) __builtin_trap();
    for (const auto& l : m.layers)
      if (!is_layer_media_type(l.media_type)) __builtin_trap();
  });
  expect_value_or_error([&] {
    ConfigDoc c = parse_config(text);
    for (const auto& d : c.diff_ids)
      if (d.size() != 71) __builtin_trap();
  });
  (void)parse_www_authenticate(std::string(text));
  expect_value_or_error([&] {
    auto c = parse_credential_helper_output("fuzz", "registry.example.com", std::string(text));
    if (c && c->identity_token.empty() && c->username.empty()) __builtin_trap();
  });
  expect_value_or_error([&] { (void)normalize_reference(text); });
  (void)is_short_name(text);
  return 0;
}
