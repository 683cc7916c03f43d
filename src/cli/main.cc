#include <spdlog/spdlog.h>

#include <iostream>

#include "base/error.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace podlet::cli;
  CLI::App app{"podlet: run Kubernetes pods on one Linux host under systemd, with no daemon"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("podlet ") + PODLET_VERSION);
  GlobalOptions global;
  app.add_option("--log-level", global.log_level, "trace|debug|info|warn|error|off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->envname("PODLET_LOG_LEVEL");
  app.add_option("--root", global.root, "persistent state (images, volumes, IPAM); default /var/lib/podlet");
  app.add_option("--runroot", global.runroot, "runtime state of running pods; default /run/podlet");
  app.parse_complete_callback([&] {
    spdlog::set_pattern("podlet: %^%l%$: %v");
    spdlog::set_level(spdlog::level::from_str(global.log_level));
  });

  auto* version = app.add_subcommand("version", "print podlet's version");
  version->callback([] { std::cout << "podlet " << PODLET_VERSION << "\n"; });
  register_validate(app, global);
  register_play(app, global);
  register_down(app, global);
  register_ps(app, global);
  register_logs(app, global);
  register_exec(app, global);
  register_inspect(app, global);
  register_generate(app, global);
  register_image(app, global);
  register_internal(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  } catch (const ExitRequest& e) {
    return e.code;
  } catch (const podlet::Error& e) {
    std::cerr << "podlet: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "podlet: internal error: " << e.what() << "\n";
    return kExitError;
  }
  return kExitOk;
}
