#include "plan/planner.h"

#include <algorithm>

#include <fmt/core.h>

#include "base/error.h"
#include "plan/planner_internal.h"
#include "plan/pod_dns.h"

namespace podlet::plan {

namespace detail {

std::string PodContext::spec_path(const std::string& rel) const {
  const std::string& base = pod.source.pod_spec_path.empty() ? std::string("spec") : pod.source.pod_spec_path;
  return rel.empty() ? base : base + "." + rel;
}

void PodContext::fail(const std::string& path, const std::string& message) const {
  throw Error(manifest::format(pod.source.diagnostic(manifest::Diagnostic::kError, path, message)));
}

}  // namespace detail

namespace {

using detail::ContainerContext;
using detail::PodContext;

// Kubernetes: spec.hostname or the pod name, cut to 63 characters without a trailing '-' or '.'.
std::string pod_hostname(const manifest::Pod& pod) {
  std::string h = pod.spec.hostname.empty() ? pod.metadata.name : pod.spec.hostname;
  if (h.size() > 63) h.resize(63);
  while (!h.empty() && (h.back() == '-' || h.back() == '.')) h.pop_back();
  if (pod.spec.set_hostname_as_fqdn && !pod.spec.subdomain.empty())
    h += "." + pod.spec.subdomain + "." + pod.metadata.namespace_ + ".svc.cluster.local";
  return h;
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

InfraSpec plan_infra(const PodContext& pod, const std::vector<VolumeSpec>& volumes) {
  const auto& spec = pod.pod.spec;
  InfraSpec infra;
  infra.pod = pod.qualified_name();
  infra.pod_id = pod.pod_id;
  infra.pod_uid = pod.pod.metadata.uid;
  infra.state_dir = pod.state_dir;
  // hostNetwork shares the host's UTS namespace: its /etc/hostname names the node, as
  // the kubelet leaves the sandbox's hostname to the runtime, which uses the node's.
  infra.hostname =
      spec.host_network && !pod.options.node_name.empty() ? pod.options.node_name : pod_hostname(pod.pod);
  infra.new_net = !spec.host_network;
  infra.new_uts = !spec.host_network;  // Kubernetes shares the host's UTS with hostNetwork
  infra.new_ipc = !spec.host_ipc;
  infra.new_pid = spec.share_process_namespace && !spec.host_pid;
  infra.pid_file = pod.state_dir + "/infra.pid";
  infra.network = pod.options.network;
  infra.network.enabled = !spec.host_network;
  infra.network.pod_uid = pod.pod.metadata.uid;
  for (const auto* c : pod.pod.all_containers())
    for (const auto& p : c->ports)
      if (p.host_port > 0)
        infra.network.ports.push_back(PortMapping{p.host_ip, static_cast<uint16_t>(p.host_port),
                                                  static_cast<uint16_t>(p.container_port),
                                                  lower(p.protocol)});
  infra.dev_shm = pod.state_dir + "/shm";
  infra.etc_hosts = pod.state_dir + "/hosts";
  infra.etc_hostname = pod.state_dir + "/hostname";
  infra.resolv_conf = pod.state_dir + "/resolv.conf";
  infra.resolv_conf_content =
      pod_resolv_conf(spec, pod.options.host_resolv_conf, pod.options.host_resolved_upstream);
  for (const auto& a : spec.host_aliases) infra.host_aliases.emplace_back(a.ip, a.hostnames);
  infra.volumes = volumes;
  return infra;
}

// The pod's /etc/hosts, /etc/hostname and /etc/resolv.conf (written by the infra;
// /etc/hosts is rewritten in place as pods come and go), bind-mounted as the kubelet
// and the container runtime do, unless the container mounts something there itself.
std::vector<MountSpec> pod_etc_files(const PodContext& pod, const std::vector<MountSpec>& mounts) {
  std::vector<MountSpec> out;
  const std::pair<const char*, std::string> files[] = {{"/etc/hosts", pod.state_dir + "/hosts"},
                                                       {"/etc/hostname", pod.state_dir + "/hostname"},
                                                       {"/etc/resolv.conf", pod.state_dir + "/resolv.conf"}};
  for (const auto& [destination, source] : files) {
    // A named capture: clang 14 (clang-tidy, the fuzzers) cannot capture bindings.
    bool taken = std::any_of(mounts.begin(), mounts.end(), [&dest = destination](const MountSpec& m) {
      return m.destination == dest || m.destination == "/etc";
    });
    if (taken) continue;
    MountSpec m;
    m.source = source;
    m.destination = destination;
    m.is_file = true;
    m.recursive = false;
    out.push_back(std::move(m));
  }
  return out;
}

ContainerPlan plan_container(const PodContext& pod, const ContainerContext& c, const InfraSpec& infra,
                             const std::vector<VolumeSpec>& volumes, const std::vector<std::string>& after,
                             bool& needs_pod_ip) {
  ContainerPlan plan;
  plan.name = c.c.name;
  plan.image = c.c.image;
  plan.init = c.init;
  plan.sidecar = c.init && c.c.is_sidecar();
  plan.spec_path = pod.spec_dir + "/container-" + c.c.name + ".json";

  ContainerSpec& s = plan.spec;
  s.pod = pod.qualified_name();
  s.pod_id = pod.pod_id;
  s.name = c.c.name;
  s.state_dir = pod.state_dir;
  s.namespaces.infra_pid_file = pod.state_dir + "/infra.pid";
  s.namespaces.join_pid = pod.pod.spec.share_process_namespace || pod.pod.spec.host_pid;
  s.root.lower_dirs = c.image.layer_dirs;
  s.root.upper_dir = pod.data_dir + "/containers/" + c.c.name + "/upper";
  s.root.work_dir = pod.data_dir + "/containers/" + c.c.name + "/work";
  s.root.rootfs = pod.data_dir + "/containers/" + c.c.name + "/rootfs";
  s.dev_shm = pod.state_dir + "/shm";

  auto env = detail::manifest_env(pod, c);
  needs_pod_ip = needs_pod_ip || env.uses_pod_ip;
  detail::plan_process(pod, c, env, s.process);
  detail::plan_security(pod, c, s);
  s.mounts = detail::plan_mounts(pod, c, volumes, env.vars);
  s.etc_files = pod_etc_files(pod, s.mounts);
  plan.unit = detail::container_unit(pod, c, plan.spec_path, after);
  plan.probes = detail::plan_probes(pod, infra, plan, c);
  plan.hooks = detail::plan_hooks(pod, infra, plan, c);
  for (const auto& p : plan.probes) plan.unit.file_wants.push_back(p.timer.name);
  return plan;
}

const ImageData& image_of(const PodContext& pod, const std::map<std::string, ImageData>& images,
                          const manifest::Container& c, const std::string& path) {
  auto it = images.find(c.image);
  if (it == images.end())
    pod.fail(path + ".image", fmt::format("container {}: image {} is not resolved", c.name, c.image));
  return it->second;
}

}  // namespace

PodPlan plan_pod(const manifest::Pod& pod, const manifest::Manifest& objects,
                 const std::map<std::string, ImageData>& images, const PlanOptions& options) {
  const auto& meta = pod.metadata;
  PodContext ctx{pod, objects, options};
  ctx.pod_id = plan::pod_id(meta.namespace_, meta.name);
  ctx.state_dir = options.paths.pod_state(ctx.pod_id);
  ctx.data_dir = options.paths.pod_data(ctx.pod_id);
  ctx.spec_dir = options.spec_dir.empty() ? ctx.state_dir : options.spec_dir;
  ctx.units = pod_unit_names(meta.namespace_, meta.name);
  if (!options.podlet_binary.starts_with("/"))
    throw Error(
        fmt::format("plan {}: podlet binary path {} is not absolute", pod.key(), options.podlet_binary));

  PodPlan plan;
  plan.ns = meta.namespace_;
  plan.name = meta.name;
  plan.uid = meta.uid;
  plan.pod_id = ctx.pod_id;
  plan.state_dir = ctx.state_dir;
  plan.spec_dir = ctx.spec_dir;
  plan.restart_policy = pod.spec.restart_policy;
  plan.labels = meta.labels;
  plan.annotations = meta.annotations;

  auto volumes = detail::plan_volumes(ctx);
  plan.infra_spec_path = ctx.spec_dir + "/infra.json";
  plan.infra = plan_infra(ctx, volumes);
  plan.slice = detail::slice_unit(ctx);
  plan.infra_unit = detail::infra_unit(ctx, plan.infra_spec_path);

  // Init containers one after another; app containers after the last of them.
  std::vector<std::string> after;
  for (size_t i = 0; i < pod.spec.init_containers.size(); ++i) {
    const auto& c = pod.spec.init_containers[i];
    std::string path = ctx.spec_path(fmt::format("initContainers[{}]", i));
    ContainerContext cc{c, path, true, image_of(ctx, images, c, path)};
    plan.containers.push_back(plan_container(ctx, cc, plan.infra, volumes, after, plan.needs_pod_ip));
    after = {plan.containers.back().unit.name};
  }
  for (size_t i = 0; i < pod.spec.containers.size(); ++i) {
    const auto& c = pod.spec.containers[i];
    std::string path = ctx.spec_path(fmt::format("containers[{}]", i));
    ContainerContext cc{c, path, false, image_of(ctx, images, c, path)};
    plan.containers.push_back(plan_container(ctx, cc, plan.infra, volumes, after, plan.needs_pod_ip));
  }
  detail::wire_unit_files(plan);
  return plan;
}

}  // namespace podlet::plan
