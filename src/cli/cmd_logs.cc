// podlet logs POD [-c CONTAINER] [-f] [--tail N] [--since DURATION|TIME]: a pod's
// output from the journal (sd-journal), found by the fields its units carry.
#include <algorithm>
#include <csignal>
#include <ctime>
#include <iostream>
#include <optional>

#include <fmt/core.h>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/pod_journal.h"
#include "cli/pod_ref.h"
#include "cli/pod_state.h"
#include "plan/unit_names.h"
#include "systemd/manager.h"

namespace podlet::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

uint64_t now_usec() {
  struct timespec ts {};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000 + static_cast<uint64_t>(ts.tv_nsec) / 1000;
}

// "10s", "5m", "2h" (as kubectl --since) or an RFC 3339 time ("2026-11-29T06:00:00Z").
uint64_t parse_since(const std::string& s) {
  if (s.empty()) fail("--since: empty");
  char unit = s.back();
  if (unit == 's' || unit == 'm' || unit == 'h') {
    try {
      size_t used = 0;
      double v = std::stod(s.substr(0, s.size() - 1), &used);
      if (used == s.size() - 1 && v >= 0) {
        double mult = unit == 's' ? 1 : unit == 'm' ? 60 : 3600;
        return now_usec() - static_cast<uint64_t>(v * mult * 1e6);
      }
    } catch (const std::exception&) {
    }
  }
  std::tm tm{};
  if (const char* end = ::strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm); end && (*end == 'Z' || *end == '\0'))
    return static_cast<uint64_t>(::timegm(&tm)) * 1000000;
  fail("--since {:?}: not a duration (10s, 5m, 2h) or an RFC 3339 time", s);
}

}  // namespace

void register_logs(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("logs", "print a pod's (or one container's) output from the journal");
  static std::string pod, ns, container, since;
  static bool follow = false;
  static int64_t tail = -1;
  cmd->add_option("pod", pod, "pod NAME or NAMESPACE/NAME")->required();
  cmd->add_option("-n,--namespace", ns, "namespace of a pod given by NAME")->default_str("default");
  cmd->add_option("-c,--container", container, "only this container (\"infra\" for the infra)");
  cmd->add_flag("-f,--follow", follow, "keep printing new output until interrupted or the pod is gone");
  cmd->add_option("--tail", tail, "only the last N lines");
  cmd->add_option("--since", since, "only output newer than a duration (10s, 5m, 2h) or an RFC 3339 time");
  cmd->callback([&global] {
    auto ref = parse_pod_ref(pod, ns);
    PodState state(global.paths());
    auto plan = state.read(plan::pod_id(ref.ns, ref.name));
    if (plan && !container.empty() && container != "infra" && !plan->find_container(container))
      fail("pod {} has no container {}", ref.key(), container);
    auto q = pod_journal_query(ref.ns, ref.name, container);
    if (tail >= 0) q.tail = static_cast<size_t>(tail);
    if (!since.empty()) q.since_realtime_usec = parse_since(since);
    // A pod that is running shows its own output only, as kubectl logs does, not that of
    // earlier pods of the same name (whose output stays readable once it is gone).
    std::optional<systemd::Manager> units;
    if (plan) {
      units.emplace();
      auto infra = units->status(plan->infra_unit.name);
      if (infra && infra->inactive_exit_timestamp_usec)
        q.since_realtime_usec =
            std::max(q.since_realtime_usec.value_or(0), infra->inactive_exit_timestamp_usec);
    }
    // Without -c: every container, each line prefixed with its name; the infra only on request.
    auto print = [](const systemd::JournalEntry& e) {
      std::string c = e.field(plan::kJournalFieldContainer);
      if (container.empty() && c == "infra") return true;
      if (container.empty()) std::cout << "[" << c << "] ";
      std::cout << e.message << "\n";
      std::cout.flush();
      return true;
    };
    if (!follow) {
      auto entries = systemd::read_journal(q);
      if (entries.empty() && !plan) fail("pod {} not found (and nothing in the journal)", ref.key());
      for (const auto& e : entries) print(e);
      return;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::string slice = plan::pod_unit_names(ref.ns, ref.name).slice;
    if (!units) units.emplace();
    systemd::follow_journal(q, print, [&] { return !g_stop && units->status(slice).has_value(); });
  });
}

}  // namespace podlet::cli
