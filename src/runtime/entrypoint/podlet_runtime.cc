// podlet-runtime: the container entrypoint systemd's container units run, as a binary
// of its own. It links only the runtime layer (no D-Bus, netlink, nftables, curl,
// OpenSSL, YAML, archive libraries), so the dynamic loader has little to do -- and it
// runs twice per container start, because the entrypoint re-executes itself from a
// read-only view of its binary first (self_exe.h).
//
//   podlet-runtime internal container --spec FILE
//
// The same command line as podlet's (`internal` may be left out), so the processes
// of a container unit look the same whichever binary runs them.
#include <unistd.h>

#include <cstring>
#include <string>

#include "base/error.h"
#include "runtime/container.h"
#include "runtime/container_entrypoint.h"
#include "runtime/self_exe.h"

namespace {

constexpr int kExitUsage = 2;

int usage(const char* message) {
  std::string text = std::string("podlet-runtime: ") + message +
                     "\nusage: podlet-runtime [internal] container --spec FILE\n";
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  int i = 1;
  if (i < argc && std::strcmp(argv[i], "internal") == 0) ++i;
  if (i >= argc || std::strcmp(argv[i], "container") != 0) return usage("unknown command");
  ++i;
  std::string spec_path;
  for (; i < argc; ++i) {
    if (std::strcmp(argv[i], "--spec") == 0 && i + 1 < argc)
      spec_path = argv[++i];
    else if (std::strncmp(argv[i], "--spec=", 7) == 0)
      spec_path = argv[i] + 7;
    else
      return usage((std::string("unexpected argument ") + argv[i]).c_str());
  }
  if (spec_path.empty()) return usage("--spec FILE is required");
  try {
    podlet::runtime::reexec_from_readonly_binary();
  } catch (const podlet::Error& e) {
    std::string line = std::string("podlet: ") + e.what() + "\n";
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    return podlet::runtime::kExitSetupFailed;
  }
  return podlet::runtime::run_container_entrypoint(spec_path);
}
