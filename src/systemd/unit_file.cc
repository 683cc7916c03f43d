#include "systemd/unit_file.h"

#include <fmt/core.h>

#include "systemd/properties.h"
#include "systemd/unit_fields.h"

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

std::string exec_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : escape_exec_argv(argv)) {
    if (!line.empty()) line += ' ';
    line += quote_word(arg);
  }
  return line;
}

// CPUQuota= is a percentage of one CPU with two decimals, as systemd itself serializes it.
std::string cpu_quota_percent(uint64_t q) {
  return q % 10000 == 0 ? fmt::format("{}%", q / 10000)
                        : fmt::format("{}.{:02}%", q / 10000, (q % 10000) / 100);
}

// The values of a field's KEY= lines, in order.
class ValuesOf {
 public:
  explicit ValuesOf(detail::Format format) : format_(format) {}

  std::vector<std::string> operator()(const std::string& v) const {
    return {format_ == detail::Format::line ? line_value(v) : v};
  }
  std::vector<std::string> operator()(const std::vector<std::string>& v) const {
    if (format_ == detail::Format::exec)
      return v.empty() ? std::vector<std::string>{} : std::vector{exec_line(v)};
    if (format_ != detail::Format::words) return v;
    std::vector<std::string> out;
    for (const auto& word : v) out.push_back(quote_word(word));
    return out;
  }
  std::vector<std::string> operator()(const std::vector<std::vector<std::string>>& v) const {
    std::vector<std::string> out;
    for (const auto& argv : v) out.push_back(exec_line(argv));
    return out;
  }
  std::vector<std::string> operator()(const std::map<std::string, std::string>& v) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : v) out.push_back(quote_word(key + "=" + value));
    return out;
  }
  std::vector<std::string> operator()(const std::optional<uint64_t>& v) const {
    if (!v) return {};
    if (format_ == detail::Format::timespan) return {format_timespan_usec(*v)};
    if (format_ == detail::Format::cpu_quota) return {cpu_quota_percent(*v)};
    return {fmt::format("{}", *v)};
  }
  std::vector<std::string> operator()(const std::optional<uint32_t>& v) const {
    if (!v) return {};
    return {fmt::format("{}", *v)};
  }
  std::vector<std::string> operator()(bool v) const { return {v ? "yes" : "no"}; }

 private:
  detail::Format format_;
};

std::string_view section_name(detail::Section section, const plan::UnitSpec& spec) {
  switch (section) {
    case detail::Section::unit:
      return "Unit";
    case detail::Section::install:
      return "Install";
    case detail::Section::timer:
      return "Timer";
    default:
      return spec.is_slice() ? "Slice" : "Service";
  }
}

// [Unit] and the unit's own section are always written, [Install] only with settings.
class Writer {
 public:
  void field(std::string_view section, bool always, const char* key, const std::vector<std::string>& values) {
    if (section != section_) {
      section_ = section;
      header_written_ = false;
    }
    if (always) header();
    for (const auto& v : values) {
      if (v.empty()) continue;
      header();
      text_ += fmt::format("{}={}\n", key, v);
    }
  }
  std::string take() { return std::move(text_); }

 private:
  void header() {
    if (header_written_) return;
    if (!text_.empty()) text_ += '\n';
    text_ += fmt::format("[{}]\n", section_);
    header_written_ = true;
  }
  std::string text_;
  std::string_view section_;
  bool header_written_ = false;
};

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
  for (const auto& field : detail::unit_fields()) {
    if (!detail::applies(field, spec)) continue;
    ValuesOf values_of(field.format);
    auto values = std::visit([&](auto member) { return values_of(spec.*member); }, field.member);
    w.field(section_name(field.section, spec), field.section != detail::Section::install, field.key, values);
  }
  return fmt::format("# {} generated by podlet from the pod's plan; podlet rewrites it.\n", spec.name) +
         w.take();
}

}  // namespace podlet::systemd
