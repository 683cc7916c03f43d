#include "systemd/properties.h"

#include <csignal>
#include <cstring>

#include <fmt/core.h>

#include "base/error.h"
#include "base/overloaded.h"
#include "systemd/unit_fields.h"

namespace podlet::systemd {

namespace {

ExecCommand exec_command(const plan::UnitSpec& spec, const char* field,
                         const std::vector<std::string>& argv) {
  if (argv.empty() || !argv[0].starts_with('/')) {
    fail("unit {}: {}: the command must start with an absolute path, got '{}'", spec.name, field,
         argv.empty() ? "" : argv[0]);
  }
  return ExecCommand{.path = argv[0], .argv = escape_exec_argv(argv)};
}

// The field's D-Bus value, or nullopt when it is left to systemd's default.
class ValueOf {
 public:
  ValueOf(const plan::UnitSpec& spec, const detail::UnitField& field) : spec_(spec), field_(field) {}

  std::optional<PropertyValue> operator()(const std::string& v) const {
    if (v.empty()) return std::nullopt;
    if (field_.format != detail::Format::signal) return v;
    return static_cast<int32_t>(
        with_context(fmt::format("unit {}: {}", spec_.name, field_.name), [&] { return signal_number(v); }));
  }
  std::optional<PropertyValue> operator()(const std::vector<std::string>& v) const {
    if (v.empty()) return std::nullopt;
    if (field_.format != detail::Format::exec) return v;
    return std::vector{exec_command(spec_, field_.name, v)};
  }
  std::optional<PropertyValue> operator()(const std::vector<std::vector<std::string>>& v) const {
    if (v.empty()) return std::nullopt;
    std::vector<ExecCommand> commands;
    for (const auto& argv : v) commands.push_back(exec_command(spec_, field_.name, argv));
    return commands;
  }
  std::optional<PropertyValue> operator()(const std::map<std::string, std::string>& v) const {
    if (v.empty()) return std::nullopt;
    std::vector<Bytes> fields;
    for (const auto& [key, value] : v) {
      std::string field = key + "=" + value;
      fields.emplace_back(field.begin(), field.end());
    }
    return fields;
  }
  template <typename T>
  std::optional<PropertyValue> operator()(const std::optional<T>& v) const {
    if (!v) return std::nullopt;
    return *v;
  }
  std::optional<PropertyValue> operator()(bool v) const { return v; }

 private:
  const plan::UnitSpec& spec_;
  const detail::UnitField& field_;
};

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
  std::vector<Property> out;
  for (const auto& field : detail::unit_fields()) {
    if (!field.property || !detail::applies(field, spec)) continue;
    ValueOf value_of(spec, field);
    auto value = std::visit([&](auto member) { return value_of(spec.*member); }, field.member);
    if (value) out.push_back({field.property, std::move(*value)});
  }
  return out;
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
