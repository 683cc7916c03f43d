#include "plan/pod_dns.h"

#include <algorithm>
#include <sstream>

namespace podlet::plan {

namespace {

constexpr size_t kMaxNameservers = 3;         // glibc's MAXNS
constexpr size_t kMaxSearchPaths = 32;        // Kubernetes' MaxDNSSearchPathsExpanded
constexpr size_t kMaxSearchLineChars = 2048;  // Kubernetes' MaxDNSSearchListCharsExpanded
constexpr size_t kMaxSearchPathChars = 253;   // longer ones make some glibc versions abort()

bool is_loopback(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip == "::1" || ip == "0:0:0:0:0:0:0:1";
}

void add_unique(std::vector<std::string>& to, const std::string& value) {
  if (std::find(to.begin(), to.end(), value) == to.end()) to.push_back(value);
}

std::string option_name(const std::string& option) {
  return option.substr(0, option.find(':'));
}

// The option replaces the one of the same name where it stands, or comes last.
void set_option(std::vector<std::string>& options, const std::string& option) {
  auto it = std::find_if(options.begin(), options.end(),
                         [&](const std::string& o) { return option_name(o) == option_name(option); });
  if (it != options.end())
    *it = option;
  else
    options.push_back(option);
}

// The host's resolver as the pod can use it.
DnsSettings host_dns(const std::string& host_resolv_conf, const std::string& resolved_upstream,
                     bool host_network) {
  DnsSettings dns = parse_resolv_conf(host_resolv_conf);
  if (host_network) return dns;
  bool had_loopback = std::any_of(dns.nameservers.begin(), dns.nameservers.end(), is_loopback);
  std::erase_if(dns.nameservers, is_loopback);
  if (had_loopback)
    for (const auto& ns : parse_resolv_conf(resolved_upstream).nameservers)
      if (!is_loopback(ns)) add_unique(dns.nameservers, ns);
  return dns;
}

void append_dns_config(DnsSettings& dns, const manifest::PodDNSConfig& config) {
  for (const auto& ns : config.nameservers) add_unique(dns.nameservers, ns);
  for (const auto& s : config.searches) add_unique(dns.searches, s);
  for (const auto& o : config.options) set_option(dns.options, o.value ? o.name + ":" + *o.value : o.name);
}

std::vector<std::string> searches_within_limits(std::vector<std::string> searches) {
  if (searches.size() > kMaxSearchPaths) searches.resize(kMaxSearchPaths);
  std::erase_if(searches, [](const std::string& s) { return s.size() > kMaxSearchPathChars; });
  size_t line = 0;
  for (const auto& s : searches) line += s.size() + 1;
  // The kubelet cuts whole domains from the end until "a b c" fits.
  while (!searches.empty() && line - 1 > kMaxSearchLineChars) {
    line -= searches.back().size() + 1;
    searches.pop_back();
  }
  return searches;
}

}  // namespace

DnsSettings parse_resolv_conf(const std::string& text) {
  DnsSettings dns;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    auto comment = line.find_first_of("#;");
    if (comment != std::string::npos) line.resize(comment);
    std::istringstream words(line);
    std::string key, word;
    if (!(words >> key)) continue;
    if (key == "nameserver") {
      if (words >> word) add_unique(dns.nameservers, word);
    } else if (key == "search" || key == "domain") {
      dns.searches.clear();
      while (words >> word) {
        if (word.size() > 1 && word.back() == '.') word.pop_back();
        add_unique(dns.searches, word);
      }
    } else if (key == "options") {
      dns.options.clear();
      while (words >> word) set_option(dns.options, word);
    }
  }
  return dns;
}

std::string render_resolv_conf(const DnsSettings& dns) {
  std::string out;
  for (const auto& ns : dns.nameservers) out += "nameserver " + ns + "\n";
  if (!dns.searches.empty()) {
    out += "search";
    for (const auto& s : dns.searches) out += " " + s;
    out += "\n";
  }
  if (!dns.options.empty()) {
    out += "options";
    for (const auto& o : dns.options) out += " " + o;
    out += "\n";
  }
  return out;
}

std::string pod_resolv_conf(const manifest::PodSpec& spec, const std::string& host_resolv_conf,
                            const std::string& resolved_upstream) {
  DnsSettings dns;
  if (spec.dns_policy != "None") dns = host_dns(host_resolv_conf, resolved_upstream, spec.host_network);
  if (spec.dns_config) append_dns_config(dns, *spec.dns_config);
  if (dns.nameservers.size() > kMaxNameservers) dns.nameservers.resize(kMaxNameservers);
  dns.searches = searches_within_limits(std::move(dns.searches));
  return render_resolv_conf(dns);
}

}  // namespace podlet::plan
