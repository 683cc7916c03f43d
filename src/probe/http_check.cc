// httpGet as the kubelet's HTTP prober: GET scheme://host:port/path with the probe's
// headers (User-Agent kube-probe/... and Accept */* unless given), no keep-alive,
// certificates not verified; 200-399 is success (a lifecycle hook's: any answer). Redirects to the same host
// are followed (10 at most); one to another host is not, and counts as success with a warning, as the kubelet
// does. At most kMaxOutput bytes of a body are read.
#include <curl/curl.h>
#include <strings.h>

#include <memory>

#include <fmt/core.h>

#include "probe/check.h"

namespace podlet::probe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxRedirects = 10;
constexpr const char* kUserAgent = "User-Agent: kube-probe/1.31";

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
template <typename T>
using CurlPtr = std::unique_ptr<T, CurlDeleter>;

size_t keep_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t n = size * count;
  if (body->size() + n > kMaxOutput) {
    body->append(data, kMaxOutput - body->size());
    return 0;  // enough: the transfer stops (CURLE_WRITE_ERROR), the status is known
  }
  body->append(data, n);
  return n;
}

std::string url_host(const std::string& url) {
  CurlPtr<CURLU> u(curl_url());
  char* host = nullptr;
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
      curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK)
    return "";
  std::string out = host;
  curl_free(host);
  return out;
}

bool has_header(const plan::HandlerSpec& h, std::string_view name) {
  for (const auto& header : h.headers)
    if (header.name.size() == name.size() &&
        ::strncasecmp(header.name.c_str(), name.data(), name.size()) == 0)
      return true;
  return false;
}

CurlPtr<curl_slist> request_headers(const plan::HandlerSpec& h) {
  curl_slist* list = nullptr;
  auto add = [&](const std::string& line) {
    if (curl_slist* next = curl_slist_append(list, line.c_str())) list = next;
  };
  if (!has_header(h, "User-Agent")) add(kUserAgent);
  if (!has_header(h, "Accept")) add("Accept: */*");
  add("Connection: close");
  // "Name;" is curl's spelling of a header with an empty value.
  for (const auto& header : h.headers)
    add(header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
  return CurlPtr<curl_slist>(list);
}

struct Response {
  long status = 0;
  std::string body;
  std::string redirect;  // Location, resolved
  std::string error;     // the transfer failed
};

Response get(const std::string& url, curl_slist* headers, std::chrono::milliseconds left) {
  Response r;
  CurlPtr<CURL> curl(curl_easy_init());
  if (!curl) return Response{.error = "curl_easy_init failed"};
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(left.count(), 1)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && r.status != 0))
    r.error = *error ? error : curl_easy_strerror(rc);
  char* location = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) r.redirect = location;
  return r;
}

std::string probe_url(const plan::HandlerSpec& h, const std::string& host) {
  std::string scheme = h.scheme == "HTTPS" ? "https" : "http";
  std::string bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::string path = h.path.starts_with('/') ? h.path : "/" + h.path;
  return fmt::format("{}://{}:{}{}", scheme, bracketed, h.port, path);
}

}  // namespace

CheckResult http_check(const plan::HandlerSpec& handler, const std::string& host,
                       std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  auto headers = request_headers(handler);
  std::string url = probe_url(handler, host);
  for (int redirects = 0;; ++redirects) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return {Result::failure, fmt::format("Get \"{}\": context deadline exceeded", url)};
    Response r = get(url, headers.get(), left);
    if (!r.error.empty()) return {Result::failure, fmt::format("Get \"{}\": {}", url, r.error)};
    bool redirect = r.status >= 300 && r.status < 400 && !r.redirect.empty();
    if (redirect && url_host(r.redirect) == url_host(url)) {
      if (redirects == kMaxRedirects)
        return {Result::failure, fmt::format("Get \"{}\": stopped after 10 redirects", r.redirect)};
      url = r.redirect;
      continue;
    }
    if (redirect)
      return {Result::success, fmt::format("Probe terminated redirects, Response body: {}", r.body)};
    if ((r.status >= 200 && r.status < 400) || handler.any_status) return {Result::success, ""};
    return {Result::failure, fmt::format("HTTP probe failed with statuscode: {}", r.status)};
  }
}

}  // namespace podlet::probe
