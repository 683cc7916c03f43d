#include "systemd/journal.h"

#include <systemd/sd-journal.h>

#include <cerrno>
#include <cstdlib>

#include <fmt/core.h>

#include "base/error.h"

namespace podlet::systemd {

namespace {

void check(int r, const std::string& what) {
  if (r < 0) throw system_error("journal: " + what, -r);
}

// "FIELD=value" data of the current entry, or nullopt when the entry has no such field.
std::optional<std::string> data(sd_journal* j, const char* field) {
  const void* d = nullptr;
  size_t len = 0;
  int r = sd_journal_get_data(j, field, &d, &len);
  if (r == -ENOENT) return std::nullopt;
  check(r, fmt::format("read field {}", field));
  std::string_view kv(static_cast<const char*>(d), len);
  auto eq = kv.find('=');
  return std::string(eq == std::string_view::npos ? kv : kv.substr(eq + 1));
}

}  // namespace

struct Journal::Impl {
  sd_journal* j = nullptr;
  std::optional<uint64_t> since;
  bool on_entry = false;  // positioned on an entry that next() must return before moving

  ~Impl() {
    if (j) sd_journal_close(j);
  }

  JournalEntry current() {
    JournalEntry e;
    check(sd_journal_get_realtime_usec(j, &e.realtime_usec), "read timestamp");
    e.message = data(j, "MESSAGE").value_or("");
    if (auto p = data(j, "PRIORITY"); p && p->size() == 1 && (*p)[0] >= '0' && (*p)[0] <= '7') {
      e.priority = (*p)[0] - '0';
    }
    for (const char* f : {"_SYSTEMD_UNIT", "SYSLOG_IDENTIFIER", "_PID"}) {
      if (auto v = data(j, f)) e.fields[f] = *v;
    }
    const void* d = nullptr;
    size_t len = 0;
    sd_journal_restart_data(j);
    while (sd_journal_enumerate_data(j, &d, &len) > 0) {
      std::string_view kv(static_cast<const char*>(d), len);
      auto eq = kv.find('=');
      if (kv.starts_with("PODLET_") && eq != std::string_view::npos) {
        e.fields[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
      }
    }
    char* cursor = nullptr;
    if (sd_journal_get_cursor(j, &cursor) >= 0) {
      e.cursor = cursor;
      free(cursor);
    }
    return e;
  }

  // Moves to the next entry at or after `since`; false at the end of the journal.
  bool advance() {
    for (;;) {
      if (on_entry) {
        on_entry = false;
      } else {
        int r = sd_journal_next(j);
        check(r, "next entry");
        if (r == 0) return false;
      }
      uint64_t t = 0;
      check(sd_journal_get_realtime_usec(j, &t), "read timestamp");
      if (!since || t >= *since) return true;
    }
  }
};

Journal::Journal(const JournalQuery& query) : impl_(std::make_unique<Impl>()) {
  check(sd_journal_open(&impl_->j, SD_JOURNAL_LOCAL_ONLY), "open");
  for (const auto& [field, value] : query.matches) {
    std::string match = field + "=" + value;
    check(sd_journal_add_match(impl_->j, match.data(), match.size()), "add match " + match);
  }
  impl_->since = query.since_realtime_usec;
  if (query.tail) {
    // Stand on a real entry: from the bare tail position, sd-journal's first next() after
    // new entries arrive skips the first of them.
    check(sd_journal_seek_tail(impl_->j), "seek to the end");
    int r = *query.tail > 0 ? sd_journal_previous_skip(impl_->j, *query.tail) : sd_journal_previous(impl_->j);
    check(r, "skip back");
    if (r == 0) {
      // Nothing matches yet: whatever matches later comes after the head.
      check(sd_journal_seek_head(impl_->j), "seek to the start");
    } else {
      // tail N: the entry we stand on is the first to return; tail 0: the last old one, skipped.
      impl_->on_entry = *query.tail > 0;
    }
  } else if (query.since_realtime_usec) {
    check(sd_journal_seek_realtime_usec(impl_->j, *query.since_realtime_usec), "seek to the start time");
  } else {
    check(sd_journal_seek_head(impl_->j), "seek to the start");
  }
}

Journal::~Journal() = default;

std::optional<JournalEntry> Journal::next(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (impl_->advance()) return impl_->current();
    auto left =
        std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    check(sd_journal_wait(impl_->j, static_cast<uint64_t>(left.count())), "wait for new entries");
  }
}

std::vector<JournalEntry> read_journal(const JournalQuery& query) {
  Journal journal(query);
  std::vector<JournalEntry> entries;
  while (auto e = journal.next()) entries.push_back(std::move(*e));
  return entries;
}

void follow_journal(const JournalQuery& query, const std::function<bool(const JournalEntry&)>& on_entry,
                    const std::function<bool()>& keep_following, std::chrono::milliseconds poll) {
  Journal journal(query);
  for (;;) {
    if (auto e = journal.next(poll)) {
      if (!on_entry(*e)) return;
    } else if (!keep_following()) {
      return;
    }
  }
}

}  // namespace podlet::systemd
