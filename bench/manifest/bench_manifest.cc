// Reports how long podlet takes to parse, decode, default and validate a manifest of
// 1,000 documents (Deployments, Pods, ConfigMaps and Secrets, as a real bundle mixes
// them). Usage: bench_manifest [documents] [runs] [--write FILE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "manifest/model.h"

namespace {

std::string config_map(int i) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-" + std::to_string(i) +
         "\n  labels: {app: app-" + std::to_string(i) +
         "}\ndata:\n  LOG_LEVEL: info\n  config.json: |\n    "
         "{\"listen\": \":8080\", \"workers\": 4}\n";
}

std::string secret(int i) {
  return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: secret-" + std::to_string(i) +
         "\ntype: Opaque\ndata:\n  password: cGFzc3dvcmQ=\nstringData:\n  username: admin\n";
}

std::string deployment(int i, int cm) {
  const std::string n = std::to_string(i), c = std::to_string(cm);
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-" + n + "\n  labels: {app: app-" + n +
         ", tier: backend}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: app-" + n +
         "}\n  template:\n    metadata:\n      labels: {app: app-" + n +
         ", tier: backend}\n    spec:\n      volumes:\n        - name: config\n          configMap:\n        "
         "    name: config-" +
         c +
         "\n        - name: cache\n          emptyDir: {sizeLimit: 64Mi}\n      initContainers:\n        - "
         "name: init\n"
         "          image: localhost/busybox:latest\n          command: [sh, -c, \"echo init $(POD_NAME)\"]\n"
         "          env:\n            - name: POD_NAME\n              valueFrom: {fieldRef: {fieldPath: "
         "metadata.name}}\n"
         "      containers:\n        - name: app\n          image: registry.example.com/team/app:1.2." +
         n +
         "\n          args: [\"--config=/etc/app/config.json\"]\n          ports:\n            - {name: "
         "http, containerPort: 8080}\n"
         "          envFrom:\n            - configMapRef: {name: config-" +
         c + "}\n            - secretRef: {name: secret-" + c +
         "}\n              prefix: SECRET_\n          resources:\n            requests: {cpu: 100m, memory: "
         "64Mi}\n"
         "            limits: {cpu: \"1\", memory: 256Mi}\n          volumeMounts:\n            - {name: "
         "config, mountPath: /etc/app, readOnly: true}\n"
         "            - {name: cache, mountPath: /var/cache/app}\n          readinessProbe:\n            "
         "httpGet: {path: /healthz, port: http}\n"
         "            periodSeconds: 5\n          livenessProbe:\n            tcpSocket: {port: 8080}\n"
         "          securityContext:\n            allowPrivilegeEscalation: false\n            capabilities: "
         "{drop: [ALL]}\n";
}

std::string pod(int i) {
  const std::string n = std::to_string(i);
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-" + n +
         "\nspec:\n  containers:\n    - name: web\n      image: localhost/busybox:latest\n"
         "      command: [httpd, -f, -p, \"8080\"]\n      ports: [{containerPort: 8080}]\n";
}

std::string make_manifest(int documents) {
  std::string out;
  for (int i = 0; i < documents; ++i) {
    if (!out.empty()) out += "---\n";
    switch (i % 4) {
      case 0:
        out += config_map(i);
        break;
      case 1:
        out += secret(i - 1);
        break;
      case 2:
        out += deployment(i, i - 2);
        break;
      default:
        out += pod(i);
        break;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int documents = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 20;
  const std::string text = make_manifest(documents);
  if (argc > 4 && std::string(argv[3]) == "--write") std::ofstream(argv[4]) << text;

  // Wall time and CPU time: on a busy machine the CPU time is the steadier number.
  std::vector<double> ms, cpu_ms;
  size_t pods = 0;
  for (int r = 0; r < runs; ++r) {
    const std::clock_t cpu_start = std::clock();
    const auto start = std::chrono::steady_clock::now();
    const podlet::manifest::Manifest m = podlet::manifest::load_manifest(text, "bench.yaml");
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    cpu_ms.push_back(1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    if (!m.ok()) {
      std::fprintf(stderr, "bench manifest does not validate: %s\n", format(m.diagnostics.front()).c_str());
      return 1;
    }
    pods = m.pods.size();
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu_ms.begin(), cpu_ms.end());
  std::printf("manifest parse+validate: %d documents (%zu bytes, %zu pods), %d runs\n", documents,
              text.size(), pods, runs);
  std::printf("  min %.2f ms   median %.2f ms   max %.2f ms   (%.0f documents/s at the median)\n", ms.front(),
              ms[ms.size() / 2], ms.back(), documents / (ms[ms.size() / 2] / 1000.0));
  std::printf("  cpu: min %.2f ms   median %.2f ms\n", cpu_ms.front(), cpu_ms[cpu_ms.size() / 2]);
  return 0;
}
