#include "systemd/manager.h"

#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <map>

#include <fmt/core.h>

#include "base/error.h"
#include "systemd/bus_values.h"

namespace podlet::systemd {

namespace {

constexpr const char* kService = "org.freedesktop.systemd1";
constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
constexpr const char* kManagerInterface = "org.freedesktop.systemd1.Manager";
constexpr const char* kNoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";

using Clock = std::chrono::steady_clock;

// A D-Bus error as a podlet::Error that keeps the error's name for callers to test.
class BusError : public Error {
 public:
  BusError(std::string message, std::string name) : Error(std::move(message)), name_(std::move(name)) {}
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
};

// "[org.freedesktop.systemd1.UnitExists] Unit x already exists." -> podlet::Error with context.
[[noreturn]] void rethrow(const std::string& context, const sdbus::Error& e) {
  throw BusError(fmt::format("{}: {} ({})", context, e.getMessage(), e.getName()), e.getName());
}

bool is_no_such_unit(const sdbus::Error& e) {
  return e.getName() == kNoSuchUnit || e.getName() == "org.freedesktop.systemd1.LoadFailed";
}

}  // namespace

struct Manager::Impl {
  std::unique_ptr<sdbus::IConnection> connection;
  std::unique_ptr<sdbus::IProxy> manager;
  // Results of jobs that ended (JobRemoved), by job object path, since the last job was queued.
  std::map<std::string, std::string> finished_jobs;

  Impl() {
    try {
      connection = sdbus::createSystemBusConnection();
      manager = sdbus::createProxy(*connection, kService, kManagerPath);
      manager->uponSignal("JobRemoved")
          .onInterface(kManagerInterface)
          .call([this](uint32_t, const sdbus::ObjectPath& job, const std::string&,
                       const std::string& result) { finished_jobs[job] = result; });
      manager->finishRegistration();
      // systemd sends job signals to the client that queued the job; Subscribe() makes sure.
      manager->callMethod("Subscribe").onInterface(kManagerInterface);
    } catch (const sdbus::Error& e) {
      rethrow("connect to systemd on the system bus", e);
    }
  }

  // Queues a job with `call` (which returns the job's path) and waits for its JobRemoved.
  template <typename Call>
  std::string run_job(const std::string& what, std::chrono::milliseconds timeout, Call&& call) {
    // Only signals that arrive from now on can be about the job queued below.
    finished_jobs.clear();
    sdbus::ObjectPath job;
    try {
      job = call();
    } catch (const sdbus::Error& e) {
      rethrow(what, e);
    }
    return wait_job(what, job, timeout);
  }

  std::string wait_job(const std::string& what, const std::string& job, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      try {
        while (connection->processPendingRequest()) {
        }
      } catch (const sdbus::Error& e) {
        rethrow(what + ": waiting for job " + job, e);
      }
      if (auto it = finished_jobs.find(job); it != finished_jobs.end()) return it->second;
      auto now = Clock::now();
      if (now >= deadline) {
        fail("{}: job {} did not finish within {}s", what, job,
             std::chrono::duration_cast<std::chrono::seconds>(timeout).count());
      }
      auto poll_data = connection->getEventLoopPollData();
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      if (poll_data.timeout_usec != UINT64_MAX) {
        auto bus_wait = std::chrono::duration_cast<std::chrono::milliseconds>(
            poll_data.getAbsoluteTimeout() -
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()));
        wait = std::clamp(bus_wait, std::chrono::milliseconds(0), wait);
      }
      pollfd pfd{.fd = poll_data.fd, .events = poll_data.events, .revents = 0};
      if (::poll(&pfd, 1, static_cast<int>(wait.count()) + 1) < 0 && errno != EINTR) {
        throw system_error(what + ": poll on the system bus");
      }
    }
  }

  std::optional<std::string> unit_path(const std::string& name) {
    sdbus::ObjectPath path;
    try {
      manager->callMethod("GetUnit").onInterface(kManagerInterface).withArguments(name).storeResultsTo(path);
    } catch (const sdbus::Error& e) {
      if (is_no_such_unit(e)) return std::nullopt;
      rethrow("get unit " + name, e);
    }
    return std::string(path);
  }

  // "start job failed, unit failed/failed, result exit-code, main process exited with status 1"
  std::string describe_failure(const std::string& name, const std::string& job_result) {
    std::string text = fmt::format("start job {}", job_result);
    std::optional<UnitStatus> s;
    try {
      s = status_of(name);
    } catch (const Error&) {
    }
    if (!s) return text;
    text += fmt::format(", unit {}/{}", s->active_state, s->sub_state);
    if (!s->result.empty()) text += fmt::format(", result {}", s->result);
    if (s->exec_main_code == CLD_EXITED) {
      text += fmt::format(", main process exited with status {}", s->exec_main_status);
    } else if (s->exec_main_code == CLD_KILLED || s->exec_main_code == CLD_DUMPED) {
      text += fmt::format(", main process killed by signal {}", s->exec_main_status);
    }
    return text;
  }

  // StartUnit or RestartUnit of a loaded unit, waiting for the job.
  void unit_job(const char* method, const std::string& verb, const std::string& name,
                std::chrono::milliseconds timeout) {
    const std::string what = verb + " unit " + name;
    auto result = run_job(what, timeout, [&] {
      sdbus::ObjectPath job;
      manager->callMethod(method)
          .onInterface(kManagerInterface)
          .withArguments(name, std::string("replace"))
          .storeResultsTo(job);
      return job;
    });
    if (result != "done") throw Error(what + ": " + describe_failure(name, result));
  }

  std::optional<UnitStatus> status_of(const std::string& name) {
    auto path = unit_path(name);
    if (!path) return std::nullopt;
    UnitStatus status;
    status.name = name;
    try {
      auto unit = sdbus::createProxy(*connection, kService, *path);
      std::vector<std::string> interfaces = {"org.freedesktop.systemd1.Unit"};
      if (name.ends_with(".service")) interfaces.push_back("org.freedesktop.systemd1.Service");
      if (name.ends_with(".slice")) interfaces.push_back("org.freedesktop.systemd1.Slice");
      for (const auto& interface : interfaces) {
        BusProperties properties;
        unit->callMethod("GetAll")
            .onInterface("org.freedesktop.DBus.Properties")
            .withArguments(interface)
            .storeResultsTo(properties);
        read_unit_properties(properties, status);
      }
    } catch (const sdbus::Error& e) {
      if (is_no_such_unit(e) || e.getName() == "org.freedesktop.DBus.Error.UnknownObject")
        return std::nullopt;
      rethrow("status of unit " + name, e);
    }
    return status;
  }
};

Manager::Manager() : impl_(std::make_unique<Impl>()) {}
Manager::~Manager() = default;

void Manager::start_transient(const plan::UnitSpec& spec, std::chrono::milliseconds timeout) {
  start_transient_with(spec, {}, timeout);
}

void Manager::start_transient_with(const plan::UnitSpec& spec, const std::vector<plan::UnitSpec>& aux_specs,
                                   std::chrono::milliseconds timeout) {
  const std::string what = "start unit " + spec.name;
  // Rendered (and validated) before anything reaches systemd.
  auto properties = to_bus_properties(with_context(what, [&] { return properties_for(spec); }));
  std::vector<sdbus::Struct<std::string, std::vector<BusProperty>>> aux;
  for (const auto& a : aux_specs)
    aux.emplace_back(a.name, to_bus_properties(with_context(what, [&] { return properties_for(a); })));
  auto result = impl_->run_job(what, timeout, [&] {
    sdbus::ObjectPath job;
    impl_->manager->callMethod("StartTransientUnit")
        .onInterface(kManagerInterface)
        .withArguments(spec.name, std::string("fail"), properties, aux)
        .storeResultsTo(job);
    return job;
  });
  if (result != "done") throw Error(what + ": " + impl_->describe_failure(spec.name, result));
}

void Manager::start(const std::string& name, std::chrono::milliseconds timeout) {
  impl_->unit_job("StartUnit", "start", name, timeout);
}

void Manager::restart(const std::string& name, std::chrono::milliseconds timeout) {
  impl_->unit_job("RestartUnit", "restart", name, timeout);
}

bool Manager::stop(const std::string& name, std::chrono::milliseconds timeout) {
  const std::string what = "stop unit " + name;
  if (!impl_->unit_path(name)) return false;
  std::string result;
  try {
    result = impl_->run_job(what, timeout, [&] {
      sdbus::ObjectPath job;
      impl_->manager->callMethod("StopUnit")
          .onInterface(kManagerInterface)
          .withArguments(name, std::string("replace"))
          .storeResultsTo(job);
      return job;
    });
  } catch (const BusError& e) {
    // Unloaded between GetUnit and StopUnit (a transient unit that just ended).
    if (e.name() == kNoSuchUnit) return false;
    throw;
  }
  if (result != "done") fail("{}: stop job {}", what, result);
  return true;
}

void Manager::kill(const std::string& name, int signal, const std::string& who) {
  try {
    impl_->manager->callMethod("KillUnit")
        .onInterface(kManagerInterface)
        .withArguments(name, who, static_cast<int32_t>(signal));
  } catch (const sdbus::Error& e) {
    rethrow(fmt::format("kill unit {} ({}) with signal {}", name, who, signal), e);
  }
}

bool Manager::reset_failed(const std::string& name) {
  try {
    impl_->manager->callMethod("ResetFailedUnit").onInterface(kManagerInterface).withArguments(name);
  } catch (const sdbus::Error& e) {
    if (is_no_such_unit(e)) return false;
    rethrow("reset failed unit " + name, e);
  }
  return true;
}

std::optional<UnitStatus> Manager::status(const std::string& name) {
  return impl_->status_of(name);
}

std::vector<UnitInfo> Manager::list_units(const std::vector<std::string>& patterns,
                                          const std::vector<std::string>& states) {
  using Row = sdbus::Struct<std::string, std::string, std::string, std::string, std::string, std::string,
                            sdbus::ObjectPath, uint32_t, std::string, sdbus::ObjectPath>;
  std::vector<Row> rows;
  try {
    impl_->manager->callMethod("ListUnitsByPatterns")
        .onInterface(kManagerInterface)
        .withArguments(states, patterns)
        .storeResultsTo(rows);
  } catch (const sdbus::Error& e) {
    rethrow("list units", e);
  }
  std::vector<UnitInfo> units;
  units.reserve(rows.size());
  for (const auto& r : rows) {
    units.push_back(UnitInfo{.name = r.get<0>(),
                             .description = r.get<1>(),
                             .load_state = r.get<2>(),
                             .active_state = r.get<3>(),
                             .sub_state = r.get<4>()});
  }
  return units;
}

void Manager::daemon_reload() {
  try {
    impl_->manager->callMethod("Reload")
        .onInterface(kManagerInterface)
        .withTimeout(std::chrono::seconds(120));
  } catch (const sdbus::Error& e) {
    rethrow("reload systemd", e);
  }
}

}  // namespace podlet::systemd
