#include <gtest/gtest.h>

#include "manifest/defaults.h"
#include "test_util.h"

namespace podlet::manifest {
namespace {

using testing::pod_yaml;

const Pod& only_pod(const Manifest& m) {
  EXPECT_TRUE(m.ok()) << (m.diagnostics.empty() ? "" : format(m.diagnostics[0]));
  EXPECT_EQ(m.pods.size(), 1u);
  return m.pods.at(0);
}

TEST(Defaults, PodLevel) {
  const Manifest m = load_manifest(pod_yaml("containers:\n- name: c\n  image: busybox"), "t.yaml");
  const Pod& p = only_pod(m);
  EXPECT_EQ(p.metadata.namespace_, "default");
  EXPECT_EQ(p.spec.restart_policy, "Always");
  EXPECT_EQ(p.spec.termination_grace_period_seconds, 30);
  EXPECT_EQ(p.spec.dns_policy, "ClusterFirst");
  EXPECT_EQ(p.spec.scheduler_name, "default-scheduler");
  EXPECT_EQ(p.spec.enable_service_links, true);
  EXPECT_EQ(p.metadata.uid.size(), 36u);
  EXPECT_EQ(p.metadata.uid[14], '5');
  EXPECT_EQ(p.key(), "default/p");
}

TEST(Defaults, UidIsStableAndKeptWhenGiven) {
  const std::string y = pod_yaml("containers:\n- name: c\n  image: busybox");
  EXPECT_EQ(load_manifest(y, "a").pods.at(0).metadata.uid, load_manifest(y, "b").pods.at(0).metadata.uid);
  EXPECT_NE(
      load_manifest(y, "a").pods.at(0).metadata.uid,
      load_manifest(pod_yaml("containers:\n- name: c\n  image: busybox", "q"), "a").pods.at(0).metadata.uid);
  const Manifest m = load_manifest(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, uid: 1234}\nspec: {containers: [{name: c, image: "
      "b}]}\n",
      "x");
  EXPECT_FALSE(m.ok());  // a number where a string belongs
  const Manifest m2 = load_manifest(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, uid: \"1234\"}\nspec: {containers: [{name: c, image: "
      "b}]}\n",
      "x");
  EXPECT_EQ(only_pod(m2).metadata.uid, "1234");
}

TEST(Defaults, ImagePullPolicyFromTag) {
  EXPECT_EQ(default_pull_policy("busybox"), "Always");
  EXPECT_EQ(default_pull_policy("busybox:latest"), "Always");
  EXPECT_EQ(default_pull_policy("busybox:1.36"), "IfNotPresent");
  EXPECT_EQ(default_pull_policy("localhost:5000/busybox"), "Always");
  EXPECT_EQ(default_pull_policy("localhost:5000/busybox:1"), "IfNotPresent");
  EXPECT_EQ(default_pull_policy("busybox@sha256:abcd"), "IfNotPresent");
}

TEST(Defaults, Container) {
  const Manifest m = load_manifest(pod_yaml(R"(containers:
- name: c
  image: busybox:1.36
  ports: [{containerPort: 80}]
  volumeMounts: [{name: v, mountPath: /v}]
  env:
  - name: F
    valueFrom: {fieldRef: {fieldPath: metadata.name}}
  - name: R
    valueFrom: {resourceFieldRef: {resource: limits.memory}}
  resources:
    limits: {cpu: 500m, memory: 64Mi}
    requests: {memory: 32Mi}
  livenessProbe:
    httpGet: {port: 80}
  readinessProbe:
    exec: {command: ["true"]}
    periodSeconds: 3
volumes: [{name: v}])"),
                                   "t.yaml");
  const Pod& p = only_pod(m);
  const Container& c = p.spec.containers.at(0);
  EXPECT_EQ(c.image_pull_policy, "IfNotPresent");
  EXPECT_EQ(c.termination_message_path, "/dev/termination-log");
  EXPECT_EQ(c.termination_message_policy, "File");
  EXPECT_EQ(c.ports.at(0).protocol, "TCP");
  EXPECT_EQ(c.ports.at(0).host_port, 0);
  EXPECT_EQ(c.volume_mounts.at(0).mount_propagation, "None");
  EXPECT_EQ(c.env.at(0).value_from->field_ref->api_version, "v1");
  EXPECT_EQ(c.env.at(1).value_from->resource_field_ref->divisor.value, 1);
  EXPECT_EQ(c.resources.requests.at("cpu").milli, 500);            // from the limit
  EXPECT_EQ(c.resources.requests.at("memory").value, 32LL << 20);  // kept
  const Probe& live = *c.liveness_probe;
  EXPECT_EQ(live.timeout_seconds, 1);
  EXPECT_EQ(live.period_seconds, 10);
  EXPECT_EQ(live.success_threshold, 1);
  EXPECT_EQ(live.failure_threshold, 3);
  EXPECT_EQ(live.initial_delay_seconds, 0);
  EXPECT_EQ(live.handler.http_get->path, "/");
  EXPECT_EQ(live.handler.http_get->scheme, "HTTP");
  EXPECT_EQ(c.readiness_probe->period_seconds, 3);
  // A volume without a source is an emptyDir, as in Kubernetes.
  EXPECT_EQ(p.spec.volumes.at(0).kind(), Volume::Kind::kEmptyDir);
}

TEST(Defaults, HostNetworkPublishesContainerPorts) {
  const Manifest m = load_manifest(
      pod_yaml("hostNetwork: true\ncontainers:\n- name: c\n  image: b\n  ports: [{containerPort: 8080}]"),
      "t");
  EXPECT_EQ(only_pod(m).spec.containers[0].ports[0].host_port, 8080);
}

TEST(Defaults, NegativeGracePeriodBecomesOne) {
  const Manifest m =
      load_manifest(pod_yaml("terminationGracePeriodSeconds: -5\ncontainers:\n- name: c\n  image: b"), "t");
  EXPECT_EQ(only_pod(m).spec.termination_grace_period_seconds, 1);
}

TEST(Defaults, ConfigMapAndSecretModes) {
  const Manifest m = load_manifest(R"(apiVersion: v1
kind: Secret
metadata: {name: s}
stringData: {a: b}
---
)" + pod_yaml("volumes:\n- name: s\n  secret: {secretName: s}\ncontainers:\n- name: c\n  image: b"),
                                   "t");
  EXPECT_EQ(only_pod(m).spec.volumes[0].secret->default_mode, 0644);
  EXPECT_EQ(m.secrets.at("default/s").type, "Opaque");
  EXPECT_EQ(m.secrets.at("default/s").data.at("a"), "b");
}

TEST(Defaults, WorkloadPodName) {
  const Manifest m = load_manifest(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}, annotations: {a: b}}
    spec: {containers: [{name: c, image: b}]}
)",
                                   "t");
  const Pod& p = only_pod(m);
  EXPECT_EQ(p.metadata.name, "web-pod");
  EXPECT_EQ(p.metadata.namespace_, "prod");
  EXPECT_EQ(p.metadata.labels.at("app"), "web");
  EXPECT_EQ(p.metadata.annotations.at("a"), "b");
  EXPECT_EQ(p.owner_kind, "Deployment");
  EXPECT_EQ(p.owner_name, "web");
  EXPECT_EQ(p.source.pod_spec_path, "spec.template.spec");
}

TEST(Defaults, GenerateName) {
  const Manifest m = load_manifest(
      "apiVersion: v1\nkind: Pod\nmetadata: {generateName: job-}\nspec: {containers: [{name: c, image: "
      "b}]}\n",
      "t");
  const Pod& p = only_pod(m);
  EXPECT_EQ(p.metadata.name.rfind("job-", 0), 0u);
  EXPECT_EQ(p.metadata.name.size(), 9u);
}

}  // namespace
}  // namespace podlet::manifest
