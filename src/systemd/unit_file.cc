#include "systemd/unit_file.h"

#include <fmt/core.h>

#include "systemd/properties.h"

namespace podlet::systemd {

namespace {

constexpr uint64_t kUsecPerSec = 1000000;

bool is_plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

// '%' starts a specifier in every setting podlet writes.
std::string escape_specifiers(std::string_view s) {
  std::string out;
  for (char c : s) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

// Settings that take the rest of the line (Description=): one line, specifiers escaped.
std::string line_value(std::string_view s) {
  std::string out = escape_specifiers(s);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

class Writer {
 public:
  void section(const char* name) {
    if (!text_.empty()) text_ += '\n';
    text_ += fmt::format("[{}]\n", name);
  }
  void raw(const char* key, std::string_view value) {
    if (!value.empty()) text_ += fmt::format("{}={}\n", key, value);
  }
  void each(const char* key, const std::vector<std::string>& values) {
    for (const auto& v : values) raw(key, v);
  }
  template <typename T>
  void optional(const char* key, const std::optional<T>& v) {
    if (v) raw(key, fmt::format("{}", *v));
  }
  void timespan(const char* key, const std::optional<uint64_t>& usec) {
    if (usec) raw(key, format_timespan_usec(*usec));
  }
  void exec(const char* key, const std::vector<std::string>& argv) {
    std::string line;
    for (const auto& arg : escape_exec_argv(argv)) {
      if (!line.empty()) line += ' ';
      line += quote_word(arg);
    }
    raw(key, line);
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

void unit_section(const plan::UnitSpec& s, Writer& w) {
  w.section("Unit");
  w.raw("Description", line_value(s.description));
  w.each("BindsTo", s.binds_to);
  w.each("Requires", s.requires_units);
  w.each("Requires", s.file_requires);
  w.each("Wants", s.wants);
  w.each("Wants", s.file_wants);
  w.each("After", s.after);
  w.each("Before", s.before);
  w.timespan("StartLimitIntervalSec", s.start_limit_interval_usec);
  w.optional("StartLimitBurst", s.start_limit_burst);
}

void service_section(const plan::UnitSpec& s, Writer& w) {
  w.raw("Slice", s.slice);
  w.raw("Type", s.type);
  w.raw("NotifyAccess", s.notify_access);
  for (const auto& argv : s.exec_start_pre) w.exec("ExecStartPre", argv);
  if (!s.exec_start.empty()) w.exec("ExecStart", s.exec_start);
  for (const auto& argv : s.exec_stop_post) w.exec("ExecStopPost", argv);
  w.raw("Restart", s.restart);
  w.timespan("RestartSec", s.restart_usec);
  w.timespan("TimeoutStartSec", s.timeout_start_usec);
  w.timespan("TimeoutStopSec", s.timeout_stop_usec);
  w.raw("RemainAfterExit", s.remain_after_exit ? "yes" : "no");
  w.raw("KillMode", s.kill_mode);
  w.raw("KillSignal", s.kill_signal);
  for (const auto& env : s.environment) w.raw("Environment", quote_word(env));
  w.raw("SyslogIdentifier", line_value(s.syslog_identifier));
  for (const auto& [key, value] : s.log_extra_fields) w.raw("LogExtraFields", quote_word(key + "=" + value));
}

void resource_control(const plan::UnitSpec& s, Writer& w) {
  w.optional("MemoryMax", s.memory_max);
  if (s.cpu_quota_per_sec_usec) {
    // CPUQuota= is a percentage of one CPU with two decimals, as systemd itself serializes it.
    uint64_t q = *s.cpu_quota_per_sec_usec;
    w.raw("CPUQuota", q % 10000 == 0 ? fmt::format("{}%", q / 10000)
                                     : fmt::format("{}.{:02}%", q / 10000, (q % 10000) / 100));
  }
  w.optional("CPUWeight", s.cpu_weight);
  w.optional("TasksMax", s.tasks_max);
}

}  // namespace

std::string format_timespan_usec(uint64_t usec) {
  if (usec == 0) return "0";
  if (usec % kUsecPerSec == 0) return fmt::format("{}s", usec / kUsecPerSec);
  if (usec % 1000 == 0) return fmt::format("{}ms", usec / 1000);
  return fmt::format("{}us", usec);
}

std::string quote_word(std::string_view word) {
  std::string escaped = escape_specifiers(word);
  bool plain = !escaped.empty();
  for (char c : escaped) plain = plain && is_plain(c);
  if (plain) return escaped;
  std::string out = "\"";
  for (unsigned char c : escaped) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string render_unit_file(const plan::UnitSpec& spec) {
  // The transient rendering validates the same values (paths, signal names): a spec one
  // rendering rejects, the other rejects too.
  properties_for(spec);
  Writer w;
  unit_section(spec, w);
  w.section(spec.is_slice() ? "Slice" : "Service");
  if (!spec.is_slice()) service_section(spec, w);
  resource_control(spec, w);
  if (!spec.wanted_by.empty()) {
    w.section("Install");
    w.each("WantedBy", spec.wanted_by);
  }
  return fmt::format("# {} generated by podlet from the pod's plan; podlet rewrites it.\n", spec.name) +
         w.take();
}

}  // namespace podlet::systemd
