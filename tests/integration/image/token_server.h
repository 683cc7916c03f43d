// A Docker token server (the "realm" of a registry's Bearer challenge) for
// docker-registry's `auth: token:` configuration: it checks Basic credentials and
// answers with an RS256 JWT carrying the requested repository actions, signed by a
// key whose self-signed certificate the registry trusts (rootcertbundle). The key
// and certificate are made here with OpenSSL; nothing leaves 127.0.0.1.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "http_server.h"

namespace podlet::image::testing {

class TokenServer {
 public:
  static constexpr const char* kIssuer = "podlet-test-issuer";
  static constexpr const char* kService = "podlet-test-registry";

  // Credentials accepted ("alice:s3cret"); the certificate goes to cert_path.
  TokenServer(std::string user, std::string password, const std::string& cert_path)
      : user_(std::move(user)), password_(std::move(password)) {
    make_key_and_cert(cert_path);
    server_ = std::make_unique<HttpServer>([this](const HttpServer::Request& r) { return answer(r); });
  }

  std::string realm() const { return "http://" + server_->host() + "/token"; }
  // The registry config section that sends clients here.
  std::string registry_config(const std::string& cert_path) const {
    return "auth:\n  token:\n    realm: " + realm() + "\n    service: " + kService +
           "\n    issuer: " + kIssuer + "\n    rootcertbundle: " + cert_path + "\n";
  }

  struct Seen {
    std::string authorization, service;
    std::vector<std::string> scopes;
    int status = 0;
  };
  std::vector<Seen> requests() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  };

  static std::string base64(const std::string& in, bool url) {
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
    out.resize(static_cast<size_t>(n));
    if (url) {
      while (!out.empty() && out.back() == '=') out.pop_back();
      for (auto& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    return out;
  }

  void make_key_and_cert(const std::string& cert_path) {
    key_.reset(EVP_RSA_gen(2048));
    if (!key_) throw std::runtime_error("EVP_RSA_gen");
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_set_pubkey(cert.get(), key_.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("podlet test token signer"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key_.get(), EVP_sha256()) <= 0) throw std::runtime_error("X509_sign");
    unsigned char* der = nullptr;
    int len = i2d_X509(cert.get(), &der);
    if (len <= 0) throw std::runtime_error("i2d_X509");
    cert_der_b64_ = base64(std::string(reinterpret_cast<char*>(der), static_cast<size_t>(len)), false);
    OPENSSL_free(der);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), cert.get());
    char* data;
    long n = BIO_get_mem_data(bio.get(), &data);
    write_file_atomic(cert_path, std::string(data, static_cast<size_t>(n)));
  }

  std::string sign(const std::string& input) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    size_t len = 0;
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1)
      throw std::runtime_error("EVP_DigestSign");
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
      throw std::runtime_error("EVP_DigestSign");
    sig.resize(len);
    return sig;
  }

  HttpServer::Response answer(const HttpServer::Request& r) {
    Seen seen{r.header("authorization"), r.params("service").empty() ? "" : r.params("service")[0],
              r.params("scope"), 0};
    HttpServer::Response resp;
    if (seen.authorization != "Basic " + base64(user_ + ":" + password_, false)) {
      resp.status = 401;
      resp.body = R"({"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]})";
    } else {
      nlohmann::json access = nlohmann::json::array();
      for (const auto& scope : seen.scopes) {  // "repository:test/bb:pull,push"
        auto first = scope.find(':'), last = scope.rfind(':');
        if (first == std::string::npos || last == first) continue;
        nlohmann::json actions = nlohmann::json::array();
        std::string list = scope.substr(last + 1);
        for (size_t i = 0; i <= list.size();) {
          size_t comma = list.find(',', i);
          if (comma == std::string::npos) comma = list.size();
          actions.push_back(list.substr(i, comma - i));
          i = comma + 1;
        }
        access.push_back({{"type", scope.substr(0, first)},
                          {"name", scope.substr(first + 1, last - first - 1)},
                          {"actions", actions}});
      }
      int64_t now = std::time(nullptr);
      nlohmann::json header{{"alg", "RS256"}, {"typ", "JWT"}, {"x5c", {cert_der_b64_}}};
      nlohmann::json claims{{"iss", kIssuer},
                            {"sub", user_},
                            {"aud", kService},
                            {"exp", now + 600},
                            {"nbf", now - 60},
                            {"iat", now - 60},
                            {"jti", std::to_string(now) + "-" + std::to_string(++counter_)},
                            {"access", access}};
      std::string input = base64(header.dump(), true) + "." + base64(claims.dump(), true);
      std::string token = input + "." + base64(sign(input), true);
      resp.body = nlohmann::json{{"token", token}, {"expires_in", 600}}.dump();
      resp.headers.emplace_back("Content-Type", "application/json");
    }
    seen.status = resp.status;
    std::lock_guard lock(mu_);
    seen_.push_back(seen);
    return resp;
  }

  std::string user_, password_;
  std::unique_ptr<EVP_PKEY, KeyFree> key_;
  std::string cert_der_b64_;
  std::mutex mu_;
  std::vector<Seen> seen_;
  std::atomic<int> counter_{0};
  std::unique_ptr<HttpServer> server_;  // last: stopped first on destruction
};

}  // namespace podlet::image::testing
