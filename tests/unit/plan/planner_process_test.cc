// command/args, env and user: Kubernetes' rules as kubelet and the CRI runtime apply them.
#include <gtest/gtest.h>

#include "planner_test_support.h"

namespace podlet::plan {
namespace {

using testing::images;
using testing::options;

PodPlan plan(const manifest::Pod& p, const manifest::Manifest& objects = {},
             const PlanOptions& o = options()) {
  return plan_pod(p, objects, images(), o);
}

std::map<std::string, ImageData> entrypoint_image() {
  ImageData d = testing::busybox();
  d.entrypoint = {"/entry"};
  d.cmd = {"--default"};
  return {{"localhost/busybox:latest", d}};
}

TEST(PlannerProcess, CommandAndArgsMergeWithEntrypointAndCmd) {
  auto p = testing::pod("default", "web");
  auto& c = p.spec.containers[0];
  auto args = [&] { return plan_pod(p, {}, entrypoint_image(), options()).containers[0].spec.process.args; };
  EXPECT_EQ(args(), (std::vector<std::string>{"/entry", "--default"}));
  c.args = {"--mine"};
  EXPECT_EQ(args(), (std::vector<std::string>{"/entry", "--mine"}));
  c.command = {"/bin/other"};
  EXPECT_EQ(args(), (std::vector<std::string>{"/bin/other", "--mine"}));
  c.args.clear();
  EXPECT_EQ(args(), (std::vector<std::string>{"/bin/other"}));  // Cmd is dropped with a command
}

TEST(PlannerProcess, NoCommandAnywhereIsAnErrorNamingTheContainer) {
  auto p = testing::pod("default", "web");
  auto imgs = images();
  imgs.begin()->second.cmd.clear();
  try {
    plan_pod(p, {}, imgs, options());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("spec.containers[0].command"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("container app"), std::string::npos) << e.what();
  }
}

TEST(PlannerProcess, VarsExpandInCommandArgsWithManifestEnvOnly) {
  auto p = testing::pod("default", "web");
  auto& c = p.spec.containers[0];
  c.env = {{"GREETING", "hello", {}}, {"MSG", "$(GREETING) world $$(GREETING) $(PATH)", {}}};
  c.command = {"echo", "$(MSG)", "$(UNDEFINED)"};
  auto s = plan(p).containers[0].spec;
  // $(PATH) is the image's env, unknown to kubelet: left as is.
  EXPECT_EQ(s.process.args,
            (std::vector<std::string>{"echo", "hello world $(GREETING) $(PATH)", "$(UNDEFINED)"}));
}

TEST(PlannerProcess, EnvVarsSeeOnlyEarlierDefinitions) {
  auto p = testing::pod("default", "web");
  p.spec.containers[0].env = {{"A", "$(B)", {}}, {"B", "b", {}}, {"C", "$(B)", {}}};
  auto env = plan(p).containers[0].spec.process.env;
  EXPECT_NE(std::find(env.begin(), env.end(), "A=$(B)"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "C=b"), env.end());
}

TEST(PlannerProcess, ManifestEnvOverridesImageEnvInPlace) {
  auto p = testing::pod("default", "web");
  p.spec.containers[0].env = {{"PATH", "/custom", {}}, {"NEW", "1", {}}};
  auto imgs = images();
  imgs.begin()->second.env = {"PATH=/bin", "HOME=/root"};
  auto env = plan_pod(p, {}, imgs, options()).containers[0].spec.process.env;
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/custom", "HOME=/root", "NEW=1"}));
}

TEST(PlannerProcess, DefaultPathWhenNobodySetsIt) {
  auto p = testing::pod("default", "web");
  p.spec.containers[0].tty = true;
  auto imgs = images();
  imgs.begin()->second.env.clear();
  auto env = plan_pod(p, {}, imgs, options()).containers[0].spec.process.env;
  ASSERT_EQ(env.size(), 2u);
  EXPECT_TRUE(env[0].starts_with("PATH=/usr/local/sbin:"));
  EXPECT_EQ(env[1], "TERM=xterm");
}

TEST(PlannerProcess, ValueFromAndEnvFrom) {
  manifest::Manifest objects;
  manifest::ConfigMap cm;
  cm.metadata.name = "cfg";
  cm.metadata.namespace_ = "team";
  cm.data = {{"mode", "fast"}, {"level", "3"}, {"bad=key", "x"}};
  objects.config_maps["team/cfg"] = cm;
  manifest::Secret sec;
  sec.metadata.name = "creds";
  sec.metadata.namespace_ = "team";
  sec.data = {{"password", "s3cret"}};
  objects.secrets["team/creds"] = sec;

  auto p = testing::pod("team", "web");
  p.metadata.labels = {{"app", "web"}};
  auto& c = p.spec.containers[0];
  c.env_from.push_back({"CFG_", manifest::ConfigMapEnvSource{"cfg", false}, std::nullopt});
  auto from = [](auto setter) {
    manifest::EnvVarSource s;
    setter(s);
    return s;
  };
  c.env.push_back({"PASS", "", from([](auto& s) {
                     s.secret_key_ref = manifest::SecretKeySelector{"creds", "password"};
                   })});
  c.env.push_back({"MODE", "", from([](auto& s) {
                     s.config_map_key_ref = manifest::ConfigMapKeySelector{"cfg", "mode"};
                   })});
  c.env.push_back({"OPT", "", from([](auto& s) {
                     s.config_map_key_ref = manifest::ConfigMapKeySelector{"cfg", "missing", true};
                   })});
  c.env.push_back({"NAME", "", from([](auto& s) {
                     s.field_ref = manifest::ObjectFieldSelector{"v1", "metadata.name"};
                   })});
  c.env.push_back({"NS", "", from([](auto& s) {
                     s.field_ref = manifest::ObjectFieldSelector{"v1", "metadata.namespace"};
                   })});
  c.env.push_back({"APP", "", from([](auto& s) {
                     s.field_ref = manifest::ObjectFieldSelector{"v1", "metadata.labels['app']"};
                   })});
  c.env.push_back({"NODE", "", from([](auto& s) {
                     s.field_ref = manifest::ObjectFieldSelector{"v1", "spec.nodeName"};
                   })});
  c.env.push_back({"IP", "", from([](auto& s) {
                     s.field_ref = manifest::ObjectFieldSelector{"v1", "status.podIP"};
                   })});
  c.resources.limits["memory"] = *manifest::parse_quantity("64Mi");
  c.env.push_back({"MEM", "", from([](auto& s) {
                     s.resource_field_ref = manifest::ResourceFieldSelector{"", "limits.memory",
                                                                            *manifest::parse_quantity("1Mi")};
                   })});
  c.env.push_back({"CPU", "", from([](auto& s) {
                     s.resource_field_ref =
                         manifest::ResourceFieldSelector{"", "limits.cpu", *manifest::parse_quantity("1")};
                   })});

  auto result = plan(p, objects);
  EXPECT_TRUE(result.needs_pod_ip);
  auto env = result.containers[0].spec.process.env;
  auto has = [&](const std::string& kv) { return std::find(env.begin(), env.end(), kv) != env.end(); };
  EXPECT_TRUE(has("CFG_mode=fast"));
  EXPECT_TRUE(has("CFG_level=3"));
  EXPECT_FALSE(has("CFG_bad=key=x"));  // invalid names from envFrom are skipped
  EXPECT_TRUE(has("PASS=s3cret"));
  EXPECT_TRUE(has("MODE=fast"));
  EXPECT_TRUE(has("NAME=web"));
  EXPECT_TRUE(has("NS=team"));
  EXPECT_TRUE(has("APP=web"));
  EXPECT_TRUE(has("NODE=node1"));
  EXPECT_TRUE(has("IP="));  // not known yet
  EXPECT_TRUE(has("MEM=64"));
  EXPECT_TRUE(has("CPU=2"));  // no limit: the node's capacity
  for (const auto& kv : env) EXPECT_FALSE(kv.starts_with("OPT=")) << kv;

  auto o = options();
  o.pod_ip = "10.90.0.7";
  env = plan(p, objects, o).containers[0].spec.process.env;
  EXPECT_TRUE(has("IP=10.90.0.7"));
}

TEST(PlannerProcess, MissingConfigMapKeyIsAnError) {
  manifest::Manifest objects;
  manifest::ConfigMap cm;
  cm.metadata.name = "cfg";
  objects.config_maps["default/cfg"] = cm;
  auto p = testing::pod("default", "web");
  manifest::EnvVarSource src;
  src.config_map_key_ref = manifest::ConfigMapKeySelector{"cfg", "nope"};
  p.spec.containers[0].env.push_back({"X", "", src});
  try {
    plan(p, objects);
    FAIL();
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("spec.containers[0].env[0].valueFrom.configMapKeyRef"), std::string::npos) << m;
    EXPECT_NE(m.find("key nope not found in ConfigMap cfg"), std::string::npos) << m;
  }
}

TEST(PlannerProcess, WorkingDirUserAndGroups) {
  auto p = testing::pod("default", "web");
  auto imgs = images();
  imgs.begin()->second.working_dir = "/srv";
  imgs.begin()->second.user = "1000:100";
  auto s = plan_pod(p, {}, imgs, options()).containers[0].spec.process;
  EXPECT_EQ(s.cwd, "/srv");
  EXPECT_EQ(s.uid, 1000u);
  EXPECT_EQ(s.gid, 100u);

  p.spec.containers[0].working_dir = "/work";
  p.spec.security_context.run_as_user = 2000;
  p.spec.security_context.supplemental_groups = {5, 6};
  p.spec.security_context.fs_group = 7;
  p.spec.containers[0].security_context.emplace().run_as_group = 3000;
  s = plan_pod(p, {}, imgs, options()).containers[0].spec.process;
  EXPECT_EQ(s.cwd, "/work");
  EXPECT_EQ(s.uid, 2000u);
  EXPECT_EQ(s.gid, 3000u);
  EXPECT_EQ(s.supplemental_groups, (std::vector<uint32_t>{5, 6, 7}));

  imgs.begin()->second.user = "nginx";
  p.spec.security_context.run_as_user.reset();
  s = plan_pod(p, {}, imgs, options()).containers[0].spec.process;
  EXPECT_FALSE(s.uid.has_value());
  EXPECT_EQ(s.user, "nginx");  // resolved by the runtime inside the root
}

TEST(PlannerProcess, RunAsNonRootRefusesUidZero) {
  auto p = testing::pod("default", "web");
  p.spec.security_context.run_as_non_root = true;
  EXPECT_THROW(plan(p), Error);  // image user is root
  p.spec.security_context.run_as_user = 1000;
  auto s = plan(p).containers[0].spec.process;
  EXPECT_TRUE(s.run_as_non_root);
  EXPECT_EQ(s.uid, 1000u);
}

}  // namespace
}  // namespace podlet::plan
