#include "image/image.h"

#include <time.h>

#include <cstdio>

namespace podlet::image {
namespace {

std::vector<std::string> string_list(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::string string_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ImageConfig parse_image_config(const nlohmann::json& doc) {
  ImageConfig c;
  auto cfg_it = doc.find("config");
  if (cfg_it == doc.end() || !cfg_it->is_object()) return c;
  const auto& cfg = *cfg_it;
  c.entrypoint = string_list(cfg, "Entrypoint");
  c.cmd = string_list(cfg, "Cmd");
  c.env = string_list(cfg, "Env");
  c.working_dir = string_field(cfg, "WorkingDir");
  c.user = string_field(cfg, "User");
  if (auto it = cfg.find("ExposedPorts"); it != cfg.end() && it->is_object())
    for (const auto& [port, ignored] : it->items()) c.exposed_ports.push_back(port);
  if (auto it = cfg.find("Labels"); it != cfg.end() && it->is_object())
    for (const auto& [k, v] : it->items())
      if (v.is_string()) c.labels[k] = v.get<std::string>();
  return c;
}

int64_t parse_rfc3339(const std::string& s) {
  struct tm tm {};
  const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return 0;
  int64_t t = timegm(&tm);
  if (*rest == '.')
    while (*++rest >= '0' && *rest <= '9') {
    }
  int sign = *rest == '+' ? 1 : *rest == '-' ? -1 : 0;
  int hh = 0, mm = 0;
  if (sign && std::sscanf(rest + 1, "%d:%d", &hh, &mm) == 2) t -= sign * (hh * 3600 + mm * 60);
  return t;
}

std::string format_rfc3339(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void to_json(nlohmann::json& j, const ImageConfig& c) {
  j = nlohmann::json{{"Entrypoint", c.entrypoint},  {"Cmd", c.cmd},   {"Env", c.env},
                     {"WorkingDir", c.working_dir}, {"User", c.user}, {"ExposedPorts", c.exposed_ports},
                     {"Labels", c.labels}};
}

void to_json(nlohmann::json& j, const Image& i) {
  j = nlohmann::json{{"Id", i.id},
                     {"Names", i.names},
                     {"Digest", i.digest},
                     {"ManifestDigest", i.manifest_digest},
                     {"Created", format_rfc3339(i.created)},
                     {"Size", i.size},
                     {"Os", i.os},
                     {"Architecture", i.architecture},
                     {"Layers", i.layer_dirs},
                     {"Config", i.config}};
}

}  // namespace podlet::image
