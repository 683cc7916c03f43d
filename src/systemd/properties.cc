#include "systemd/properties.h"

#include <csignal>
#include <cstring>

#include <fmt/core.h>

#include "base/error.h"

namespace podlet::systemd {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

ExecCommand exec_command(const plan::UnitSpec& spec, const char* field,
                         const std::vector<std::string>& argv) {
  if (argv.empty() || !argv[0].starts_with('/')) {
    fail("unit {}: {}: the command must start with an absolute path, got '{}'", spec.name, field,
         argv.empty() ? "" : argv[0]);
  }
  return ExecCommand{.path = argv[0], .argv = escape_exec_argv(argv)};
}

// Appends a property unless its value is empty (systemd's default then applies).
class Builder {
 public:
  void string(const char* name, const std::string& v) {
    if (!v.empty()) out_.push_back({name, v});
  }
  void strings(const char* name, const std::vector<std::string>& v) {
    if (!v.empty()) out_.push_back({name, v});
  }
  template <typename T>
  void optional(const char* name, const std::optional<T>& v) {
    if (v) out_.push_back({name, *v});
  }
  void value(const char* name, PropertyValue v) { out_.push_back({name, std::move(v)}); }
  std::vector<Property> take() { return std::move(out_); }

 private:
  std::vector<Property> out_;
};

void unit_section(const plan::UnitSpec& s, Builder& b) {
  b.string("Description", s.description);
  b.strings("BindsTo", s.binds_to);
  b.strings("Requires", s.requires_units);
  b.strings("Wants", s.wants);
  b.strings("After", s.after);
  b.strings("Before", s.before);
  // file_requires, file_wants and wanted_by are the start wiring of unit files only.
  b.optional("StartLimitIntervalUSec", s.start_limit_interval_usec);
  b.optional("StartLimitBurst", s.start_limit_burst);
}

void service_section(const plan::UnitSpec& s, Builder& b) {
  b.string("Slice", s.slice);
  b.string("Type", s.type);
  b.string("NotifyAccess", s.notify_access);
  if (!s.exec_start_pre.empty()) {
    std::vector<ExecCommand> pre;
    for (const auto& argv : s.exec_start_pre) pre.push_back(exec_command(s, "exec_start_pre", argv));
    b.value("ExecStartPre", std::move(pre));
  }
  if (!s.exec_start.empty()) b.value("ExecStart", std::vector{exec_command(s, "exec_start", s.exec_start)});
  if (!s.exec_stop_post.empty()) {
    std::vector<ExecCommand> post;
    for (const auto& argv : s.exec_stop_post) post.push_back(exec_command(s, "exec_stop_post", argv));
    b.value("ExecStopPost", std::move(post));
  }
  b.string("Restart", s.restart);
  b.optional("RestartUSec", s.restart_usec);
  b.optional("TimeoutStartUSec", s.timeout_start_usec);
  b.optional("TimeoutStopUSec", s.timeout_stop_usec);
  b.value("RemainAfterExit", s.remain_after_exit);
  b.string("KillMode", s.kill_mode);
  if (!s.kill_signal.empty()) {
    b.value("KillSignal", static_cast<int32_t>(with_context(fmt::format("unit {}: kill_signal", s.name),
                                                            [&] { return signal_number(s.kill_signal); })));
  }
  b.strings("Environment", s.environment);
  b.string("SyslogIdentifier", s.syslog_identifier);
  if (!s.log_extra_fields.empty()) {
    std::vector<Bytes> fields;
    for (const auto& [key, value] : s.log_extra_fields) {
      std::string field = key + "=" + value;
      fields.emplace_back(field.begin(), field.end());
    }
    b.value("LogExtraFields", std::move(fields));
  }
}

void resource_control(const plan::UnitSpec& s, Builder& b) {
  b.optional("MemoryMax", s.memory_max);
  b.optional("CPUQuotaPerSecUSec", s.cpu_quota_per_sec_usec);
  b.optional("CPUWeight", s.cpu_weight);
  b.optional("TasksMax", s.tasks_max);
}

}  // namespace

std::string dbus_signature(const PropertyValue& value) {
  return std::visit(Overloaded{
                        [](bool) { return std::string("b"); },
                        [](int32_t) { return std::string("i"); },
                        [](uint32_t) { return std::string("u"); },
                        [](uint64_t) { return std::string("t"); },
                        [](const std::string&) { return std::string("s"); },
                        [](const std::vector<std::string>&) { return std::string("as"); },
                        [](const std::vector<ExecCommand>&) { return std::string("a(sasb)"); },
                        [](const std::vector<Bytes>&) { return std::string("aay"); },
                    },
                    value);
}

std::vector<Property> properties_for(const plan::UnitSpec& spec) {
  Builder b;
  unit_section(spec, b);
  if (!spec.is_slice()) service_section(spec, b);
  resource_control(spec, b);
  return b.take();
}

const Property* find_property(const std::vector<Property>& properties, std::string_view name) {
  for (const auto& p : properties) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> escape_exec_argv(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  for (const auto& arg : argv) {
    std::string escaped;
    for (char c : arg) {
      escaped += c;
      if (c == '$') escaped += '$';
    }
    out.push_back(std::move(escaped));
  }
  return out;
}

int signal_number(std::string_view name) {
  std::string_view bare = name.starts_with("SIG") ? name.substr(3) : name;
  for (int sig = 1; sig < NSIG; ++sig) {
    const char* abbrev = sigabbrev_np(sig);
    if (abbrev && bare == abbrev) return sig;
  }
  int number = 0;
  for (char c : name) {
    if (c < '0' || c > '9' || number > NSIG) fail("unknown signal '{}'", name);
    number = number * 10 + (c - '0');
  }
  if (name.empty() || number < 1 || number >= NSIG) fail("unknown signal '{}'", name);
  return number;
}

}  // namespace podlet::systemd
