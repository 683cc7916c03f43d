// Builders for planner tests: pods written in C++ with the defaults the manifest
// layer applies, a fixed image and fixed options, so plans are deterministic.
#pragma once

#include <map>
#include <string>

#include "base/error.h"
#include "manifest/model.h"
#include "plan/planner.h"

namespace podlet::plan::testing {

inline manifest::Container container(const std::string& name,
                                     const std::string& image = "localhost/busybox:latest") {
  manifest::Container c;
  c.name = name;
  c.image = image;
  c.image_pull_policy = "IfNotPresent";
  return c;
}

inline manifest::Pod pod(const std::string& ns, const std::string& name) {
  manifest::Pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = ns;
  p.metadata.uid = "0f4a2e6c-1111-4222-8333-444455556666";
  p.source.file = "pod.yaml";
  p.source.pod_spec_path = "spec";
  p.source.pod_meta_path = "metadata";
  p.spec.containers.push_back(container("app"));
  return p;
}

inline ImageData busybox() {
  ImageData d;
  d.id = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  d.layer_dirs = {"/var/lib/podlet/storage/layers/aaaa/diff"};
  d.cmd = {"sh"};
  d.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  return d;
}

inline std::map<std::string, ImageData> images() {
  return {{"localhost/busybox:latest", busybox()}};
}

inline PlanOptions options() {
  PlanOptions o;
  o.paths.root = "/var/lib/podlet";
  o.paths.runroot = "/run/podlet";
  o.podlet_binary = "/usr/bin/podlet";
  o.node_name = "node1";
  o.host_ip = "192.0.2.10";
  o.node_cpu_millis = 2000;
  o.node_memory_bytes = 4LL << 30;
  return o;
}

}  // namespace podlet::plan::testing
