// Reading containers' output from the journal with sd-journal (libsystemd), the way
// `podlet logs` needs it: by podlet's own fields (LogExtraFields on every unit, see
// plan/unit_names.h) or by unit, the last N entries, since a time, and following.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace podlet::systemd {

struct JournalQuery {
  // FIELD=value matches. Matches on the same field are alternatives (OR), matches on
  // different fields must all hold (AND), as sd_journal_add_match combines them.
  std::vector<std::pair<std::string, std::string>> matches;
  std::optional<size_t> tail;                   // only the last N matching entries
  std::optional<uint64_t> since_realtime_usec;  // only entries at or after this CLOCK_REALTIME time
};

struct JournalEntry {
  uint64_t realtime_usec = 0;
  std::string message;  // MESSAGE, as logged (may hold any bytes)
  int priority = 6;     // syslog priority, LOG_INFO when absent
  // _SYSTEMD_UNIT, SYSLOG_IDENTIFIER, _PID and every PODLET_* field of the entry.
  std::map<std::string, std::string> fields;
  std::string cursor;

  std::string field(const std::string& name) const {
    auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  }
};

// A position in the local system journal with the query's matches applied.
class Journal {
 public:
  // Opens the local journal and positions before the first entry the query selects.
  explicit Journal(const JournalQuery& query);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The next matching entry; waits up to `wait` for one to be written. nullopt: none (yet).
  std::optional<JournalEntry> next(std::chrono::milliseconds wait = std::chrono::milliseconds(0));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Every entry the query selects right now, oldest first.
std::vector<JournalEntry> read_journal(const JournalQuery& query);

// Calls on_entry for each selected entry, then for new ones as they are written, until
// on_entry returns false or keep_following() does (asked at least every `poll` while idle).
void follow_journal(const JournalQuery& query, const std::function<bool(const JournalEntry&)>& on_entry,
                    const std::function<bool()>& keep_following,
                    std::chrono::milliseconds poll = std::chrono::milliseconds(250));

}  // namespace podlet::systemd
