#include "network/hosts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "base/file_lock.h"
#include "base/fs_tree.h"

namespace podlet::network {
namespace {

nlohmann::json to_json(const HostsRecord& r) {
  return {{"pod_id", r.pod_id},       {"network", r.network},
          {"ip", r.self.ip},          {"names", r.self.names},
          {"aliases", r.aliases},     {"hosts_file", r.hosts_file},
          {"owner_pid", r.owner.pid}, {"owner_start_time", r.owner.start_time}};
}

HostsRecord from_json(const nlohmann::json& j) {
  HostsRecord r;
  r.pod_id = j.at("pod_id").get<std::string>();
  r.network = j.value("network", std::string());
  r.self.ip = j.value("ip", std::string());
  r.self.names = j.value("names", std::vector<std::string>{});
  r.aliases = j.value("aliases", HostAliases{});
  r.hosts_file = j.value("hosts_file", std::string());
  r.owner.pid = j.value("owner_pid", pid_t{0});
  r.owner.start_time = j.value("owner_start_time", uint64_t{0});
  return r;
}

// The registry file, read and written under its lock.
class Registry {
 public:
  explicit Registry(const std::string& runroot)
      : dir_(runroot + "/network"), lock_((make_dirs(dir_, 0700), dir_ + "/hosts.lock")) {
    path_ = dir_ + "/hosts.json";
    if (::access(path_.c_str(), F_OK) != 0) return;
    try {
      const nlohmann::json state = nlohmann::json::parse(read_file(path_));
      for (const auto& j : state.at("pods")) {
        HostsRecord r = from_json(j);
        records_[r.pod_id] = std::move(r);
      }
    } catch (const nlohmann::json::exception& e) {
      fail("hosts registry {}: {}", path_, e.what());
    }
  }

  std::map<std::string, HostsRecord>& records() { return records_; }

  // Forgets pods whose infra is gone; returns the networks they were on.
  std::set<std::string> drop_stale(const LivenessCheck& alive) {
    std::set<std::string> networks;
    std::erase_if(records_, [&](const auto& kv) {
      if (alive(kv.second.owner)) return false;
      networks.insert(kv.second.network);
      return true;
    });
    return networks;
  }

  void save() {
    nlohmann::json pods = nlohmann::json::array();
    for (const auto& [id, r] : records_) pods.push_back(to_json(r));
    write_file_atomic(path_, nlohmann::json{{"pods", pods}}.dump(2) + "\n", 0600);
  }

  // Rewrites the hosts file of every pod on `network`; a pod whose file is gone
  // (its state dir was removed) is skipped.
  void refresh(const std::string& network) {
    for (const auto& [id, r] : records_) {
      if (r.network != network || r.hosts_file.empty()) continue;
      std::vector<HostsEntry> peers;
      for (const auto& [other_id, other] : records_) {
        if (other_id != id && other.network == network && !other.self.ip.empty()) peers.push_back(other.self);
      }
      if (::access(r.hosts_file.c_str(), F_OK) != 0) continue;
      try {
        rewrite_in_place(r.hosts_file, plan::render_pod_hosts(r.self, r.aliases, peers));
      } catch (const Error& e) {
        spdlog::warn("pod {}: /etc/hosts not updated: {}", id, e.what());
      }
    }
  }

 private:
  std::string dir_;
  FileLock lock_;
  std::string path_;
  std::map<std::string, HostsRecord> records_;
};

}  // namespace

void rewrite_in_place(const std::string& path, std::string_view content) {
  UniqueFd fd = open_fd(path, O_WRONLY | O_CREAT | O_NOFOLLOW, 0644);
  with_context("rewrite " + path, [&] {
    // Write over the old bytes, then cut what is left: readers never find the file empty.
    if (::lseek(fd.get(), 0, SEEK_SET) < 0) throw system_error("lseek");
    write_all(fd.get(), content);
    if (::ftruncate(fd.get(), static_cast<off_t>(content.size())) < 0) throw system_error("truncate");
  });
}

void publish_pod_hosts(const std::string& runroot, const HostsRecord& record, const LivenessCheck& alive) {
  with_context("pod " + record.pod_id + ": publish /etc/hosts entry", [&] {
    Registry registry(runroot);
    auto networks = registry.drop_stale(alive);
    registry.records()[record.pod_id] = record;
    registry.save();
    networks.insert(record.network);
    for (const auto& n : networks) registry.refresh(n);
  });
}

void withdraw_pod_hosts(const std::string& runroot, const std::string& pod_id, const LivenessCheck& alive) {
  with_context("pod " + pod_id + ": withdraw /etc/hosts entry", [&] {
    Registry registry(runroot);
    std::set<std::string> networks;
    if (auto it = registry.records().find(pod_id); it != registry.records().end()) {
      networks.insert(it->second.network);
      registry.records().erase(it);
    }
    networks.merge(registry.drop_stale(alive));
    registry.save();
    for (const auto& n : networks) registry.refresh(n);
  });
}

std::vector<HostsRecord> list_pod_hosts(const std::string& runroot, const LivenessCheck& alive) {
  Registry registry(runroot);
  registry.drop_stale(alive);
  std::vector<HostsRecord> out;
  for (const auto& [id, r] : registry.records()) out.push_back(r);
  return out;
}

}  // namespace podlet::network
