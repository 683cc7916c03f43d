#include "systemd/properties.h"

#include <csignal>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "systemd/unit_fields.h"
#include "systemd/unit_file.h"

namespace podlet::systemd {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A service with every UnitSpec field set to a non-default value.
plan::UnitSpec full_service() {
  plan::UnitSpec s;
  s.name = "podlet-prod_web_nginx.service";
  s.description = "podlet prod/web container nginx";
  s.slice = "podlet-prod_web.slice";
  s.binds_to = {"podlet-prod_web-infra.service"};
  s.requires_units = {"podlet-prod_web_init.service"};
  s.wants = {"network-online.target"};
  s.after = {"podlet-prod_web-infra.service", "podlet-prod_web_init.service"};
  s.before = {"podlet-prod_web_probe.timer"};
  s.file_requires = {"podlet-prod_web_warm.service"};
  s.file_wants = {"podlet-prod_web_sidecar.service"};
  s.wanted_by = {"multi-user.target"};
  s.start_limit_interval_usec = 60'000'000;
  s.start_limit_burst = 7;
  s.type = "notify";
  s.notify_access = "all";
  s.exec_start = {"/usr/bin/podlet", "container-start", "/run/podlet/prod_web/nginx.json"};
  s.exec_start_pre = {{"/usr/bin/podlet", "container-prepare", "nginx"}};
  s.exec_start_post = {{"/usr/bin/podlet", "internal", "hook", "--spec", "post.json"}};
  s.exec_stop = {{"/usr/bin/podlet", "internal", "hook", "--spec", "pre.json"}};
  s.exec_stop_post = {{"/usr/bin/podlet", "container-cleanup", "nginx"}};
  s.restart = "on-failure";
  s.restart_usec = 2'500'000;
  s.timeout_start_usec = 120'000'000;
  s.timeout_stop_usec = 30'000'000;
  s.remain_after_exit = true;
  s.kill_mode = "mixed";
  s.kill_signal = "SIGINT";
  s.environment = {"PODLET_ROOT=/var/lib/podlet"};
  s.syslog_identifier = "web/nginx";
  s.log_extra_fields = {{"PODLET_POD", "prod/web"}, {"PODLET_CONTAINER", "nginx"}};
  s.memory_max = 256 * 1024 * 1024;
  s.cpu_quota_per_sec_usec = 500'000;
  s.cpu_weight = 200;
  s.tasks_max = 512;
  return s;
}

// A probe's timer: only [Unit] and [Timer] settings apply.
plan::UnitSpec full_timer() {
  plan::UnitSpec t;
  t.name = "podlet-prod_web_nginx_liveness-probe.timer";
  t.description = "podlet prod/web container nginx liveness probe timer";
  t.binds_to = {"podlet-prod_web_nginx.service"};
  t.after = {"podlet-prod_web_nginx.service"};
  t.on_active_usec = 5'000'000;
  t.on_unit_active_usec = 10'000'000;
  t.accuracy_usec = 1000;
  return t;
}

// Every UnitSpec field (by its JSON key) and where each rendering puts it.
struct FieldMapping {
  const char* json_key;
  const char* property;  // StartTransientUnit property; nullptr: unit files only
  const char* signature;
  const char* section;  // unit file
  const char* key;
  const char* file_value;  // the first line's value in the unit file
};

const FieldMapping kMappings[] = {
    {"description", "Description", "s", "Unit", "Description", "podlet prod/web container nginx"},
    {"binds_to", "BindsTo", "as", "Unit", "BindsTo", "podlet-prod_web-infra.service"},
    {"requires", "Requires", "as", "Unit", "Requires", "podlet-prod_web_init.service"},
    {"wants", "Wants", "as", "Unit", "Wants", "network-online.target"},
    {"after", "After", "as", "Unit", "After", "podlet-prod_web-infra.service"},
    {"before", "Before", "as", "Unit", "Before", "podlet-prod_web_probe.timer"},
    {"file_requires", nullptr, nullptr, "Unit", "Requires", "podlet-prod_web_init.service"},
    {"file_wants", nullptr, nullptr, "Unit", "Wants", "network-online.target"},
    {"wanted_by", nullptr, nullptr, "Install", "WantedBy", "multi-user.target"},
    {"start_limit_interval_usec", "StartLimitIntervalUSec", "t", "Unit", "StartLimitIntervalSec", "60s"},
    {"start_limit_burst", "StartLimitBurst", "u", "Unit", "StartLimitBurst", "7"},
    {"slice", "Slice", "s", "Service", "Slice", "podlet-prod_web.slice"},
    {"type", "Type", "s", "Service", "Type", "notify"},
    {"notify_access", "NotifyAccess", "s", "Service", "NotifyAccess", "all"},
    {"exec_start", "ExecStart", "a(sasb)", "Service", "ExecStart",
     "/usr/bin/podlet container-start /run/podlet/prod_web/nginx.json"},
    {"exec_start_pre", "ExecStartPre", "a(sasb)", "Service", "ExecStartPre",
     "/usr/bin/podlet container-prepare nginx"},
    {"exec_start_post", "ExecStartPost", "a(sasb)", "Service", "ExecStartPost",
     "/usr/bin/podlet internal hook --spec post.json"},
    {"exec_stop", "ExecStop", "a(sasb)", "Service", "ExecStop",
     "/usr/bin/podlet internal hook --spec pre.json"},
    {"exec_stop_post", "ExecStopPost", "a(sasb)", "Service", "ExecStopPost",
     "/usr/bin/podlet container-cleanup nginx"},
    {"restart", "Restart", "s", "Service", "Restart", "on-failure"},
    {"restart_usec", "RestartUSec", "t", "Service", "RestartSec", "2500ms"},
    {"timeout_start_usec", "TimeoutStartUSec", "t", "Service", "TimeoutStartSec", "120s"},
    {"timeout_stop_usec", "TimeoutStopUSec", "t", "Service", "TimeoutStopSec", "30s"},
    {"remain_after_exit", "RemainAfterExit", "b", "Service", "RemainAfterExit", "yes"},
    {"kill_mode", "KillMode", "s", "Service", "KillMode", "mixed"},
    {"kill_signal", "KillSignal", "i", "Service", "KillSignal", "SIGINT"},
    {"environment", "Environment", "as", "Service", "Environment", "PODLET_ROOT=/var/lib/podlet"},
    {"syslog_identifier", "SyslogIdentifier", "s", "Service", "SyslogIdentifier", "web/nginx"},
    {"log_extra_fields", "LogExtraFields", "aay", "Service", "LogExtraFields", "PODLET_CONTAINER=nginx"},
    {"memory_max", "MemoryMax", "t", "Service", "MemoryMax", "268435456"},
    {"cpu_quota_per_sec_usec", "CPUQuotaPerSecUSec", "t", "Service", "CPUQuota", "50%"},
    {"cpu_weight", "CPUWeight", "t", "Service", "CPUWeight", "200"},
    {"tasks_max", "TasksMax", "t", "Service", "TasksMax", "512"},
};

// The first value of KEY in [SECTION] of a rendered unit file, or nullopt.
std::optional<std::string> file_value(const std::string& text, const std::string& section,
                                      const std::string& key) {
  std::string current;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with('[')) {
      current = line.substr(1, line.size() - 2);
    } else if (current == section && line.starts_with(key + "=")) {
      return line.substr(key.size() + 1);
    }
  }
  return std::nullopt;
}

TEST(Properties, EveryUnitSpecFieldMapsInBothRenderings) {
  plan::UnitSpec spec = full_service();
  auto props = properties_for(spec);
  std::string file = render_unit_file(spec);

  std::set<std::string> mapped = {"name"};  // the unit's name: StartTransientUnit's argument / the file name
  size_t transient = 0;
  for (const auto& m : kMappings) {
    SCOPED_TRACE(m.json_key);
    mapped.insert(m.json_key);
    if (m.property) {
      const Property* p = find_property(props, m.property);
      ASSERT_NE(p, nullptr) << "no transient property " << m.property;
      EXPECT_EQ(dbus_signature(p->value), m.signature);
      ++transient;
    }
    auto v = file_value(file, m.section, m.key);
    ASSERT_TRUE(v.has_value()) << "no " << m.section << "/" << m.key << " in\n" << file;
    EXPECT_EQ(*v, m.file_value);
  }
  // A field added to UnitSpec must be added to both renderings and to this table.
  nlohmann::json j = spec;
  for (const auto& [key, value] : j.items()) {
    EXPECT_TRUE(mapped.contains(key)) << "UnitSpec field '" << key << "' is not rendered";
  }
  EXPECT_EQ(props.size(), transient);
}

TEST(Properties, TimerSettingsRenderForTimersAlone) {
  plan::UnitSpec timer = full_timer();
  auto props = properties_for(timer);
  EXPECT_EQ(std::get<uint64_t>(find_property(props, "OnActiveSec")->value), 5'000'000u);
  EXPECT_EQ(std::get<uint64_t>(find_property(props, "OnUnitActiveSec")->value), 10'000'000u);
  EXPECT_EQ(std::get<uint64_t>(find_property(props, "AccuracyUSec")->value), 1000u);
  // A UnitSpec's service defaults (Type=notify, KillMode, ...) are no timer's settings.
  EXPECT_EQ(find_property(props, "Type"), nullptr);
  EXPECT_EQ(find_property(props, "KillMode"), nullptr);
  EXPECT_EQ(find_property(props, "TasksMax"), nullptr);
  std::string file = render_unit_file(timer);
  EXPECT_THAT(file, HasSubstr("\n[Timer]\nOnActiveSec=5s\nOnUnitActiveSec=10s\nAccuracySec=1ms\n"));
  EXPECT_THAT(file, Not(HasSubstr("[Service]")));

  plan::UnitSpec service = full_service();
  service.on_active_usec = 1;
  EXPECT_EQ(find_property(properties_for(service), "OnActiveSec"), nullptr);
  EXPECT_THAT(render_unit_file(service), Not(HasSubstr("[Timer]")));
}

// The file-only start wiring follows the spec's own dependencies of the same key.
TEST(Properties, FileOnlyWiringStaysOutOfTransientUnits) {
  plan::UnitSpec spec = full_service();
  auto props = properties_for(spec);
  EXPECT_EQ(std::get<std::vector<std::string>>(find_property(props, "Requires")->value), spec.requires_units);
  EXPECT_EQ(std::get<std::vector<std::string>>(find_property(props, "Wants")->value), spec.wants);
  EXPECT_EQ(find_property(props, "WantedBy"), nullptr);
  std::string file = render_unit_file(spec);
  EXPECT_THAT(file,
              HasSubstr("Requires=podlet-prod_web_init.service\nRequires=podlet-prod_web_warm.service\n"));
  EXPECT_THAT(file, HasSubstr("Wants=network-online.target\nWants=podlet-prod_web_sidecar.service\n"));
  EXPECT_THAT(file, ::testing::EndsWith("\n\n[Install]\nWantedBy=multi-user.target\n"));
}

TEST(Properties, ValuesAreThoseOfTheSpec) {
  auto props = properties_for(full_service());
  EXPECT_EQ(std::get<std::string>(find_property(props, "Type")->value), "notify");
  EXPECT_EQ(std::get<uint64_t>(find_property(props, "MemoryMax")->value), 256u * 1024 * 1024);
  EXPECT_EQ(std::get<uint64_t>(find_property(props, "CPUQuotaPerSecUSec")->value), 500'000u);
  EXPECT_EQ(std::get<uint64_t>(find_property(props, "TimeoutStopUSec")->value), 30'000'000u);
  EXPECT_EQ(std::get<uint32_t>(find_property(props, "StartLimitBurst")->value), 7u);
  EXPECT_EQ(std::get<int32_t>(find_property(props, "KillSignal")->value), SIGINT);
  EXPECT_TRUE(std::get<bool>(find_property(props, "RemainAfterExit")->value));

  const auto& exec = std::get<std::vector<ExecCommand>>(find_property(props, "ExecStart")->value);
  ASSERT_EQ(exec.size(), 1u);
  EXPECT_EQ(exec[0].path, "/usr/bin/podlet");
  EXPECT_THAT(exec[0].argv, ::testing::ElementsAre("/usr/bin/podlet", "container-start",
                                                   "/run/podlet/prod_web/nginx.json"));
  EXPECT_FALSE(exec[0].ignore_failure);

  const auto& fields = std::get<std::vector<Bytes>>(find_property(props, "LogExtraFields")->value);
  std::vector<std::string> as_text;
  for (const auto& f : fields) as_text.emplace_back(f.begin(), f.end());
  EXPECT_THAT(as_text, ::testing::UnorderedElementsAre("PODLET_POD=prod/web", "PODLET_CONTAINER=nginx"));
}

TEST(Properties, SliceGetsOnlyUnitAndResourceSettings) {
  plan::UnitSpec s;
  s.name = "podlet-prod_my\\x2dweb.slice";
  s.description = "podlet pod prod/my-web";
  s.memory_max = 1 << 30;
  s.tasks_max = 100;
  auto props = properties_for(s);
  std::vector<std::string> names;
  for (const auto& p : props) names.push_back(p.name);
  EXPECT_THAT(names, ::testing::ElementsAre("Description", "MemoryMax", "TasksMax"));
}

TEST(Properties, EmptySettingsAreLeftToSystemd) {
  plan::UnitSpec s;
  s.name = "x.service";
  s.exec_start = {"/bin/true"};
  auto props = properties_for(s);
  EXPECT_EQ(find_property(props, "Description"), nullptr);
  EXPECT_EQ(find_property(props, "Slice"), nullptr);
  EXPECT_EQ(find_property(props, "MemoryMax"), nullptr);
  EXPECT_EQ(find_property(props, "RestartUSec"), nullptr);
  EXPECT_EQ(find_property(props, "ExecStopPost"), nullptr);
  EXPECT_NE(find_property(props, "ExecStart"), nullptr);
}

TEST(Properties, DollarSignsReachTheProcessLiterally) {
  plan::UnitSpec s;
  s.name = "x.service";
  s.exec_start = {"/bin/echo", "$HOME", "a$$b"};
  auto props = properties_for(s);
  const auto& exec = std::get<std::vector<ExecCommand>>(find_property(props, "ExecStart")->value);
  EXPECT_THAT(exec[0].argv, ::testing::ElementsAre("/bin/echo", "$$HOME", "a$$$$b"));
  EXPECT_EQ(exec[0].path, "/bin/echo");
}

TEST(Properties, RejectsRelativeCommandsNamingUnitAndField) {
  plan::UnitSpec s;
  s.name = "podlet-a_b_c.service";
  s.exec_start = {"podlet", "run"};
  try {
    properties_for(s);
    FAIL() << "accepted a relative ExecStart";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("podlet-a_b_c.service"));
    EXPECT_THAT(e.what(), HasSubstr("exec_start"));
    EXPECT_THAT(e.what(), HasSubstr("'podlet'"));
  }
  s.exec_start = {"/bin/true"};
  s.exec_stop_post = {{}};
  EXPECT_THROW(properties_for(s), Error);
  EXPECT_THROW(render_unit_file(s), Error);
}

TEST(Properties, RejectsUnknownKillSignal) {
  plan::UnitSpec s;
  s.name = "podlet-a_b_c.service";
  s.exec_start = {"/bin/true"};
  s.kill_signal = "SIGNOPE";
  try {
    properties_for(s);
    FAIL() << "accepted an unknown signal";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("kill_signal"));
    EXPECT_THAT(e.what(), HasSubstr("SIGNOPE"));
  }
}

TEST(SignalNumber, AcceptsNamesAbbreviationsAndNumbers) {
  EXPECT_EQ(signal_number("SIGTERM"), SIGTERM);
  EXPECT_EQ(signal_number("KILL"), SIGKILL);
  EXPECT_EQ(signal_number("SIGINT"), SIGINT);
  EXPECT_EQ(signal_number("15"), 15);
  EXPECT_THROW(signal_number(""), Error);
  EXPECT_THROW(signal_number("0"), Error);
  EXPECT_THROW(signal_number("999"), Error);
  EXPECT_THROW(signal_number("SIG"), Error);
}

// One table drives both renderings: every UnitSpec field has a row, and a row without a
// D-Bus property is exactly a file-only field.
TEST(UnitFields, EveryUnitSpecFieldHasOneRow) {
  std::set<std::string> rows;
  for (const auto& f : detail::unit_fields()) EXPECT_TRUE(rows.insert(f.name).second) << f.name;
  nlohmann::json j = full_service();
  j.update(nlohmann::json(full_timer()));  // the service's fields and the timer's own
  for (const auto& [key, value] : j.items()) {
    if (key != "name") {
      EXPECT_TRUE(rows.contains(key)) << "UnitSpec field '" << key << "' has no row";
    }
  }
  EXPECT_EQ(rows.size() + 1, j.size());
  std::set<std::string> file_only;
  for (const auto& f : detail::unit_fields())
    if (!f.property) file_only.insert(f.name);
  EXPECT_EQ(file_only, (std::set<std::string>{"file_requires", "file_wants", "wanted_by"}));
}

}  // namespace
}  // namespace podlet::systemd
