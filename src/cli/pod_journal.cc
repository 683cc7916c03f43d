#include "cli/pod_journal.h"

#include <thread>

#include "base/error.h"
#include "plan/unit_names.h"

namespace podlet::cli {

systemd::JournalQuery pod_journal_query(const std::string& ns, const std::string& name,
                                        const std::string& container) {
  systemd::JournalQuery q;
  q.matches.emplace_back(plan::kJournalFieldPod, ns + "/" + name);
  if (!container.empty()) q.matches.emplace_back(plan::kJournalFieldContainer, container);
  return q;
}

std::string container_log_tail(const std::string& ns, const std::string& name, const std::string& container,
                               size_t lines) {
  auto q = pod_journal_query(ns, name, container);
  q.tail = lines;
  // journald stores a unit's last output asynchronously: give it a moment.
  for (int attempt = 0; attempt < 10; ++attempt) {
    std::vector<systemd::JournalEntry> entries;
    try {
      entries = systemd::read_journal(q);
    } catch (const Error&) {
      return "";
    }
    if (!entries.empty()) {
      std::string out;
      for (const auto& e : entries) out += "  " + e.message + "\n";
      if (!out.empty()) out.pop_back();
      return out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return "";
}

}  // namespace podlet::cli
