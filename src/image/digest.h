// SHA-256 content digests ("sha256:<64 hex>") computed with OpenSSL EVP. Every
// blob that enters the store is hashed on arrival and compared with its name.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace podlet::image {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // "sha256:<hex>"; the hasher cannot be used afterwards.
  std::string digest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string sha256_digest(std::string_view data);
std::string sha256_file_digest(const std::string& path);

// Throws unless `digest` is "sha256:" followed by 64 lowercase hex digits.
void validate_digest(std::string_view digest);
bool is_digest(std::string_view digest);
// The hex part of a validated digest.
std::string digest_hex(std::string_view digest);

}  // namespace podlet::image
