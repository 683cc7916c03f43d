// `podlet play`: validate -> resolve images -> plan every pod (no side effect
// before all of that succeeded) -> write state -> start units in order -> print.
// Any failure rolls back everything this play started, across all its pods.
#pragma once

#include <iosfwd>
#include <string>

#include "plan/paths.h"

namespace podlet::cli {

struct PlayOptions {
  bool dry_run = false;
  bool replace = false;
  bool wait = false;
  int64_t wait_timeout_seconds = 300;  // --wait on pods that keep running: until every container is ready
  std::string output = "table";        // table | json
};

// Returns the process exit code (for --wait: the pod's exit status).
int play(const std::string& file, const PlayOptions& options, const plan::Paths& paths, std::ostream& out,
         std::ostream& err);

}  // namespace podlet::cli
