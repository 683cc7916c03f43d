// Strict decoding and hostile input: errors, never crashes or hangs.
#include <gtest/gtest.h>

#include <chrono>

#include "manifest/names.h"
#include "test_util.h"

namespace podlet::manifest {
namespace {

using testing::errors;
using testing::pod_yaml;

std::vector<Diagnostic> load(const std::string& text) {
  return load_manifest(text, "f.yaml").diagnostics;
}

TEST(Decode, UnknownFieldNamesPathPositionAndSuggestion) {
  const auto ds = load(pod_yaml("containers:\n- name: a\n  image: b\n  workdir: /x"));
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(format(ds[0]),
            "f.yaml:9:5: spec.containers[0].workdir: unknown field (did you mean workingDir?)");
}

TEST(Decode, FieldInTheWrongPlaceIsUnknown) {
  const auto ds = load(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  restartPolicy: Never\nspec: {containers: [{name: "
      "a, image: b}]}\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(format(ds[0]), "f.yaml:5:3: metadata.restartPolicy: unknown field");
}

TEST(Decode, CaseMistakesGetASuggestion) {
  const auto ds = load(pod_yaml("containers:\n- name: a\n  Image: b"));
  ASSERT_GE(ds.size(), 1u);
  EXPECT_EQ(ds[0].message, "unknown field (did you mean image?)");
}

TEST(Decode, TypesAreStrict) {
  EXPECT_EQ(errors(load_manifest(
                pod_yaml("containers:\n- name: a\n  image: b\n  env: [{name: X, value: 8080}]"), "f")),
            std::vector<std::string>{
                "spec.containers[0].env[0].value: expected a string, got a number (put it in quotes)"});
  EXPECT_EQ(
      errors(load_manifest(pod_yaml("hostNetwork: yes\ncontainers: [{name: a, image: b}]"), "f")).size(), 0u);
  EXPECT_EQ(errors(load_manifest(pod_yaml("hostNetwork: 1\ncontainers: [{name: a, image: b}]"), "f")),
            std::vector<std::string>{"spec.hostNetwork: expected a boolean, got a number"});
  EXPECT_EQ(errors(load_manifest(pod_yaml("containers: {name: a}"), "f")),
            std::vector<std::string>{"spec.containers: expected a list, got an object"});
  EXPECT_EQ(
      errors(
          load_manifest(pod_yaml("containers: [{name: a, image: b, ports: [{containerPort: 1.5}]}]"), "f")),
      std::vector<std::string>{"spec.containers[0].ports[0].containerPort: expected an integer, got 1.5"});
  // YAML 1.1 integers as Kubernetes' decoder reads them.
  const Manifest m =
      load_manifest(pod_yaml("terminationGracePeriodSeconds: 0x10\ncontainers: [{name: a, image: b}]"), "f");
  EXPECT_EQ(m.pods.at(0).spec.termination_grace_period_seconds, 16);
  const Manifest quoted =
      load_manifest(pod_yaml("containers: [{name: a, image: b, args: [\"1\", '2', !!str 3]}]"), "f");
  EXPECT_TRUE(quoted.ok());
  EXPECT_EQ(quoted.pods.at(0).spec.containers[0].args, (std::vector<std::string>{"1", "2", "3"}));
}

TEST(Decode, NullMeansAbsent) {
  const Manifest m =
      load_manifest(pod_yaml("volumes: null\ncontainers:\n- name: a\n  image: b\n  command: ~\n  env:"), "f");
  EXPECT_TRUE(m.ok());
  EXPECT_TRUE(m.pods.at(0).spec.containers[0].command.empty());
}

TEST(Hostile, DuplicateKeysAreErrors) {
  const auto ds = load("apiVersion: v1\nkind: Pod\nkind: Pod\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(format(ds[0]), "f.yaml:3:1: kind: duplicate key \"kind\" (first defined at line 2)");
  EXPECT_FALSE(load_manifest(pod_yaml("containers: [{name: a, name: b, image: c}]"), "f").ok());
}

TEST(Hostile, AliasBombIsRefusedQuickly) {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 12; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 0; k < 9; ++k) bomb += ", " + prev;
    bomb += "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto ds = load(bomb);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].message.find("too large after alias expansion"), std::string::npos);
}

TEST(Hostile, RecursiveAliasIsAnError) {
  const auto ds = load("a: &a [*a]\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(ds[0].is_error());
}

TEST(Hostile, DeepNesting) {
  for (const std::string& open : {std::string("["), std::string("{a: "), std::string("- ")}) {
    std::string text = "x: ";
    for (int i = 0; i < 100000; ++i) text += open;
    const auto ds = load(text);
    ASSERT_FALSE(ds.empty()) << open;
    EXPECT_TRUE(ds[0].is_error());
  }
  std::string block;
  for (int i = 0; i < 300; ++i) block += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  const auto ds = load(block);
  ASSERT_FALSE(ds.empty());
  EXPECT_NE(ds[0].message.find("nesting too deep"), std::string::npos);
}

TEST(Hostile, HugeNumbers) {
  const auto errs = errors(
      load_manifest(pod_yaml("terminationGracePeriodSeconds: "
                             "123456789012345678901234567890\nactiveDeadlineSeconds: -9223372036854775809\n"
                             "containers: [{name: a, image: b, ports: [{containerPort: 2147483648}], "
                             "resources: {limits: {cpu: 1e999999999}}}]"),
                    "f"));
  ASSERT_EQ(errs.size(), 4u);
  EXPECT_EQ(errs[0],
            "spec.terminationGracePeriodSeconds: number 123456789012345678901234567890 is out of range");
  EXPECT_EQ(errs[1], "spec.activeDeadlineSeconds: number -9223372036854775809 is out of range");
  EXPECT_EQ(
      errs[2],
      "spec.containers[0].ports[0].containerPort: number 2147483648 is out of range for a 32-bit integer");
  EXPECT_NE(errs[3].find("invalid quantity"), std::string::npos);
}

TEST(Hostile, NonUtf8) {
  const auto ds = load("apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\xff\"}\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(format(ds[0]), "f.yaml:3:20: input is not valid UTF-8");
  EXPECT_EQ(load("a: \xed\xa0\x80\n").size(), 1u);  // a UTF-16 surrogate
  EXPECT_EQ(load("a: \xc0\xaf\n").size(), 1u);      // overlong
  EXPECT_TRUE(load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: \"h\xc3\xa9llo "
                   "\xf0\x9f\x98\x80\"}\n")
                  .empty());
}

TEST(Hostile, FiftyMegabytesIsRefusedBeforeParsing) {
  std::string big = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: \"";
  big.append(50u << 20, 'x');
  big += "\"\n";
  const auto start = std::chrono::steady_clock::now();
  const auto ds = load(big);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].message.find("input is too large"), std::string::npos);
}

TEST(Hostile, ManyDocumentsAreLimited) {
  std::string many;
  for (int i = 0; i < 10001; ++i) many += "---\na: 1\n";
  const auto ds = load(many);
  ASSERT_FALSE(ds.empty());
  EXPECT_NE(ds.back().message.find("too many documents"), std::string::npos);
}

TEST(Hostile, GarbageNeverThrows) {
  for (const char* text : {"",
                           "\n",
                           "---",
                           "...",
                           "[",
                           "]",
                           "{",
                           "}",
                           ": :",
                           "&a",
                           "*a",
                           "!!binary x",
                           "? a\n: b",
                           "a: !!map []",
                           "- - - -",
                           "\t",
                           "%YAML 1.2\n---\na: b",
                           "a: |\n  x\n b",
                           "\"",
                           "'",
                           "apiVersion: v1\nkind: Pod\nmetadata: []\nspec: 1",
                           "apiVersion: v1\nkind: Pod\nspec:",
                           "apiVersion: [v1]\nkind: {a: b}",
                           "? [a]\n: b",
                           "<<: 1",
                           "a: {<<: [1]}"}) {
    EXPECT_NO_THROW(load(text)) << text;
  }
}

TEST(Decode, MergeKeys) {
  const Manifest m = load_manifest(R"(apiVersion: v1
kind: Pod
metadata: {name: m}
spec:
  containers:
    - &c {name: a, image: b, workingDir: /a}
    - <<: *c
      name: c
)",
                                   "f");
  ASSERT_TRUE(m.ok());
  const auto& cs = m.pods.at(0).spec.containers;
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[1].name, "c");
  EXPECT_EQ(cs[1].working_dir, "/a");
}

TEST(Decode, SecretsDecodeBase64AndStringDataWins) {
  const Manifest m = load_manifest(R"(apiVersion: v1
kind: Secret
metadata: {name: s}
data: {a: aGVsbG8=, b: d29ybGQ=, bin: AP8=}
stringData: {b: override}
)",
                                   "f");
  ASSERT_TRUE(m.ok());
  const Secret& s = m.secrets.at("default/s");
  EXPECT_EQ(s.data.at("a"), "hello");
  EXPECT_EQ(s.data.at("b"), "override");
  EXPECT_EQ(s.data.at("bin"), std::string("\0\xff", 2));
  EXPECT_FALSE(
      load_manifest("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: aGVsbG8}\n", "f").ok());
}

TEST(Decode, ReferencesAcrossInputs) {
  const Manifest m = load_manifests(
      {{"cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n"},
       {"pod.yaml", pod_yaml("containers: [{name: a, image: b, envFrom: [{configMapRef: {name: c}}]}]")}});
  EXPECT_TRUE(m.ok());
  EXPECT_NE(m.find_config_map("default", "c"), nullptr);
  EXPECT_EQ(m.find_config_map("other", "c"), nullptr);
}

TEST(Decode, PositionsSurviveForLaterDiagnostics) {
  const Manifest m = load_manifest(pod_yaml("containers:\n- name: a\n  image: b"), "f");
  const Source& s = m.pods.at(0).source;
  EXPECT_EQ(s.position_of("spec.containers[0].image").line, 8);
  EXPECT_EQ(s.position_of("spec.containers[0].image.nothing").line, 8);
  EXPECT_EQ(s.diagnostic(Diagnostic::kError, "spec.containers[0].name", "x").line, 7);
}

// Structs read from field tables, shared decoders (projections, security contexts,
// maps, named objects) keep every rule: unknown fields, suggestions, fields that are
// not honoured, duplicates, null map values.
TEST(Decode, SharedDecodersKeepEveryRule) {
  const Manifest m = load_manifest(R"(apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {empty: , app: web}
spec:
  volumes:
  - name: proj
    projected:
      sources:
      - configMap: {name: cfg, defaultMode: 0400, optional: true}
      - secret: {name: sec, secretName: s, optional: true}
      - serviceAccountToken: {audience: x, path: t}
  - name: dev
    persistentVolumeClaim: {claimName: c}
  containers:
  - name: a
    image: busybox
    resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]
    volumeDevices: [{name: dev, devicePath: /dev/xvda}]
    resources:
      limits: {cpu: 1, memory: ~}
      claims: [{name: gpu}]
    env:
    - name: A
      valueFrom: {secretKeyRef: {name: sec, key: k, optionl: true}}
    envFrom:
    - configMapRef: {name: cfg, optional: true}
    securityContext:
      seLinuxOptions: {level: s0}
      seccompProfile: {type: RuntimeDefault, localhostProfil: x}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c}
spec: {resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {k: v}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
)",
                                   "f");
  std::vector<std::string> got;
  for (const auto& d : m.diagnostics) got.push_back(format(d));
  const std::vector<std::string> want = {
      "f:11:32: spec.volumes[0].projected.sources[0].configMap.defaultMode: unknown field",
      "f:12:29: spec.volumes[0].projected.sources[1].secret.secretName: unknown field",
      "f:13:30: spec.volumes[0].projected.sources[2].serviceAccountToken: warning: podlet does not honour "
      "this field; it is ignored (no service account tokens without a cluster)",
      "f:19:5: spec.containers[0].resizePolicy: warning: podlet does not honour this field; it is ignored "
      "(resources are fixed when the container starts)",
      "f:20:20: spec.containers[0].volumeDevices: warning: podlet does not honour this field; it is ignored "
      "(no block volumes)",
      "f:23:7: spec.containers[0].resources.claims: warning: podlet does not honour this field; it is "
      "ignored (dynamic resource allocation needs a cluster)",
      "f:26:53: spec.containers[0].env[0].valueFrom.secretKeyRef.optionl: unknown field (did you mean "
      "optional?)",
      "f:30:7: spec.containers[0].securityContext.seLinuxOptions: warning: podlet does not honour this "
      "field; it is ignored (no SELinux on this host)",
      "f:31:46: spec.containers[0].securityContext.seccompProfile.localhostProfil: unknown field (did you "
      "mean localhostProfile?)",
      "f:36:1: spec.accessModes: Required value: at least 1 access mode is required",
      "f:38:1: spec: Required value",
      "f:40:11: metadata.name: PersistentVolumeClaim default/c is defined more than once",
      "f:49:11: metadata.name: Secret default/sec is defined more than once",
  };
  EXPECT_EQ(got, want);
  ASSERT_EQ(m.pods.size(), 1u);
  EXPECT_EQ(m.pods[0].metadata.labels.at("empty"), "");  // a null label is the empty string
  const Container& c = m.pods[0].spec.containers.at(0);
  EXPECT_EQ(c.resources.limits.count("memory"), 0u);  // a null quantity is left out
  EXPECT_EQ(c.volume_devices.size(), 1u);
  ASSERT_TRUE(c.env.at(0).value_from->secret_key_ref.has_value());
  EXPECT_EQ(c.env[0].value_from->secret_key_ref->key, "k");
  const auto& sources = m.pods[0].spec.volumes.at(0).projected->sources;
  EXPECT_EQ(sources.at(0).config_map->name, "cfg");
  EXPECT_TRUE(sources.at(0).config_map->optional);
  EXPECT_EQ(sources.at(1).secret->secret_name, "sec");
}

TEST(Names, Syntax) {
  EXPECT_TRUE(check_dns1123_label("a-1").empty());
  EXPECT_FALSE(check_dns1123_label("-a").empty());
  EXPECT_FALSE(check_dns1123_label(std::string(64, 'a')).empty());
  EXPECT_TRUE(check_dns1123_subdomain("a.b-c.d").empty());
  EXPECT_FALSE(check_dns1123_subdomain("a..b").empty());
  EXPECT_TRUE(check_qualified_name("example.com/My_name.1").empty());
  EXPECT_FALSE(check_qualified_name("/x").empty());
  EXPECT_TRUE(check_env_var_name("MY_VAR.name-1").empty());
  EXPECT_FALSE(check_env_var_name("MY VAR").empty());
  EXPECT_TRUE(check_port_name("http-alt").empty());
  EXPECT_FALSE(check_port_name("a--b").empty());
  EXPECT_TRUE(check_ip("::1").empty());
  EXPECT_FALSE(check_ip("1.2.3").empty());
  EXPECT_TRUE(check_relative_path("a/b..c").empty());
  EXPECT_FALSE(check_relative_path("a/../b").empty());
  EXPECT_TRUE(check_sysctl_name("net.ipv4.conf.eth0/forwarding").empty());
}

}  // namespace
}  // namespace podlet::manifest
