#include "network/resolv.h"

#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "base/atomic_file.h"
#include "base/error.h"

namespace podlet::network {
namespace {

bool is_loopback(const std::string& ns) {
  return ns.rfind("127.", 0) == 0 || ns == "::1" || ns == "0:0:0:0:0:0:0:1";
}

void add_unique(std::vector<std::string>& to, const std::string& value) {
  if (std::find(to.begin(), to.end(), value) == to.end()) to.push_back(value);
}

std::string option_name(const std::string& option) {
  return option.substr(0, option.find(':'));
}

std::string read_if_exists(const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) return "";
  try {
    return read_file(path);
  } catch (const Error&) {
    return "";
  }
}

}  // namespace

DnsSettings parse_resolv_conf(const std::string& text) {
  DnsSettings dns;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    auto hash = line.find_first_of("#;");
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string key, word;
    if (!(words >> key)) continue;
    if (key == "nameserver") {
      if (words >> word) add_unique(dns.nameservers, word);
    } else if (key == "search" || key == "domain") {
      // The last search/domain line wins (resolv.conf(5)).
      dns.searches.clear();
      while (words >> word) add_unique(dns.searches, word);
    } else if (key == "options") {
      while (words >> word) dns.options.push_back(word);
    }
  }
  return dns;
}

std::string render_resolv_conf(const DnsSettings& dns) {
  std::string out;
  if (!dns.searches.empty()) {
    out += "search";
    for (const auto& s : dns.searches) out += " " + s;
    out += "\n";
  }
  for (const auto& ns : dns.nameservers) out += "nameserver " + ns + "\n";
  if (!dns.options.empty()) {
    out += "options";
    for (const auto& o : dns.options) out += " " + o;
    out += "\n";
  }
  return out;
}

DnsSettings merge_dns_config(DnsSettings base, const DnsSettings& config) {
  for (const auto& ns : config.nameservers) add_unique(base.nameservers, ns);
  for (const auto& s : config.searches) add_unique(base.searches, s);
  for (const auto& o : config.options) {
    std::erase_if(base.options, [&](const std::string& b) { return option_name(b) == option_name(o); });
    base.options.push_back(o);
  }
  return base;
}

DnsSettings pod_dns_from_host(const std::string& host_resolv, const std::string& resolved_upstream) {
  DnsSettings dns = parse_resolv_conf(host_resolv);
  bool had_loopback = std::any_of(dns.nameservers.begin(), dns.nameservers.end(), is_loopback);
  std::erase_if(dns.nameservers, is_loopback);
  if (had_loopback && !resolved_upstream.empty()) {
    for (const auto& ns : parse_resolv_conf(resolved_upstream).nameservers) {
      if (!is_loopback(ns)) add_unique(dns.nameservers, ns);
    }
  }
  return dns;
}

std::string host_resolv_conf_for_pod() {
  return render_resolv_conf(pod_dns_from_host(read_if_exists("/etc/resolv.conf"),
                                              read_if_exists("/run/systemd/resolve/resolv.conf")));
}

}  // namespace podlet::network
