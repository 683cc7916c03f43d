// grpc as the kubelet's gRPC prober: grpc.health.v1.Health/Check of the service over
// plain-text HTTP/2 (libcurl with prior knowledge, built with nghttp2 on Debian), the
// kubelet's User-Agent; SERVING is success, any other status or RPC error a failure.
// The two messages are protobuf of one field each, written and read here:
//   HealthCheckRequest  { string service = 1; }     HealthCheckResponse { ServingStatus status = 1; }
// each in gRPC's frame: a compression byte (0) and a 4-byte big-endian length.
#include <curl/curl.h>
#include <strings.h>

#include <memory>

#include <fmt/core.h>

#include "probe/check.h"
#include "probe/grpc_wire.h"

namespace podlet::probe {

namespace {

struct Exchange {
  std::string body;
  std::string grpc_status;  // from the trailers (or headers of a trailers-only answer)
  std::string grpc_message;
};

size_t keep_body(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t n = size * count;
  if (ex->body.size() + n > kMaxOutput) return 0;
  ex->body.append(data, n);
  return n;
}

size_t keep_header(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  auto value = [&](std::string_view name) -> std::optional<std::string> {
    if (line.size() <= name.size() || ::strncasecmp(line.data(), name.data(), name.size()) != 0)
      return std::nullopt;
    std::string_view v = line.substr(name.size());
    while (!v.empty() && (v.front() == ' ')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
    return std::string(v);
  };
  if (auto v = value("grpc-status:")) ex->grpc_status = *v;
  if (auto v = value("grpc-message:")) ex->grpc_message = *v;
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

CheckResult grpc_check(const std::string& host, int port, const std::string& service,
                       std::chrono::milliseconds timeout) {
  std::string bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::string target = fmt::format("{}:{}", bracketed, port);
  std::string url = fmt::format("http://{}/grpc.health.v1.Health/Check", target);
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return {Result::failure, "curl_easy_init failed"};
  curl_slist* list = nullptr;
  for (const char* h : {"Content-Type: application/grpc", "TE: trailers", "User-Agent: kube-probe/1.31"})
    if (curl_slist* next = curl_slist_append(list, h)) list = next;
  std::unique_ptr<curl_slist, CurlDeleter> headers(list);
  std::string request = grpc_frame(health_check_request(service));
  Exchange ex;
  char error[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(timeout.count(), 1)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, keep_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (CURLcode rc = curl_easy_perform(c); rc != CURLE_OK) {
    if (rc == CURLE_OPERATION_TIMEDOUT)
      return {Result::failure,
              fmt::format("timeout: health rpc did not complete within {}ms", timeout.count())};
    return {Result::failure, fmt::format("failed to connect service \"{}\": {}", target,
                                         *error ? error : curl_easy_strerror(rc))};
  }
  if (ex.grpc_status == "12")
    return {Result::failure, fmt::format("this server does not implement the grpc health protocol "
                                         "(grpc.health.v1.Health): {}",
                                         ex.grpc_message)};
  if (ex.grpc_status != "0")
    return {Result::failure,
            fmt::format("health rpc failed: grpc-status {}: {}",
                        ex.grpc_status.empty() ? "missing" : ex.grpc_status, ex.grpc_message)};
  auto status = health_check_status(ex.body);
  if (!status) return {Result::failure, "health rpc answered with a malformed HealthCheckResponse"};
  if (*status != kServing)
    return {Result::failure,
            fmt::format("service unhealthy (responded with \"{}\")", serving_status_name(*status))};
  return {Result::success, ""};
}

}  // namespace podlet::probe
