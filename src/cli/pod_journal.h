// Finding a pod's (or one container's) output in the journal by the fields its
// units carry (LogExtraFields, plan/unit_names.h).
#pragma once

#include <cstddef>
#include <string>

#include "systemd/journal.h"

namespace podlet::cli {

// container empty: every container of the pod (the infra included).
systemd::JournalQuery pod_journal_query(const std::string& ns, const std::string& name,
                                        const std::string& container);

// The last `lines` messages of a container, one per line; "" when it logged nothing.
// Waits briefly for journald to catch up with a unit that just failed.
std::string container_log_tail(const std::string& ns, const std::string& name, const std::string& container,
                               size_t lines = 10);

}  // namespace podlet::cli
