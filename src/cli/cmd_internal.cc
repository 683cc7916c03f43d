// Entry points that systemd units run (infra, infra-cleanup, container, probe, hook). Hidden from help.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/pod_hook.h"
#include "cli/pod_probe.h"
#include "network/infra_network.h"
#include "plan/paths.h"
#include "plan/probe_spec.h"
#include "plan/runtime_spec.h"
#include "runtime/container.h"
#include "runtime/container_entrypoint.h"
#include "runtime/infra.h"
#include "runtime/self_exe.h"

namespace podlet::cli {

namespace {

// attach network: the network layer attaches the pod's network namespace (veth,
// address, routes, hostPorts) and returns the pod IP; /etc/hosts is written with it.
std::string attach_network(const plan::InfraSpec& spec, pid_t infra_pid, int netns_fd) {
  return network::attach_infra_network(spec, plan::Paths::from_environment(), infra_pid, netns_fd);
}

// publish /etc/hosts: once the pod's hosts file exists, the pod's names are published
// (the other pods' files list it) and its own file lists the pods already running.
void publish_hosts(const plan::InfraSpec& spec, const std::string& pod_ip, pid_t infra_pid) {
  network::publish_infra_hosts(spec, plan::Paths::from_environment(), pod_ip, infra_pid);
}

// detach network: the reverse of attach_network, run from the infra's stop path.
void detach_network(const plan::InfraSpec& spec) {
  network::detach_infra_network(spec, plan::Paths::from_environment());
}

runtime::InfraHooks infra_hooks() {
  return runtime::InfraHooks{attach_network, detach_network, publish_hosts};
}

void add_infra(CLI::App& internal) {
  auto* cmd = internal.add_subcommand("infra", "run a pod's infra process (Type=notify unit)");
  auto spec_path = std::make_shared<std::string>();
  cmd->add_option("--spec", *spec_path, "InfraSpec JSON written by the planner")->required();
  cmd->callback([spec_path] {
    runtime::reexec_from_readonly_binary();
    auto spec = plan::load_infra_spec(*spec_path);
    throw ExitRequest{runtime::run_infra(spec, infra_hooks())};
  });
}

void add_infra_cleanup(CLI::App& internal) {
  auto* cmd = internal.add_subcommand("infra-cleanup", "remove what a pod's infra prepared (ExecStopPost)");
  auto spec_path = std::make_shared<std::string>();
  cmd->add_option("--spec", *spec_path, "InfraSpec JSON written by the planner")->required();
  cmd->callback([spec_path] {
    auto spec = plan::load_infra_spec(*spec_path);
    auto failures = runtime::cleanup_infra(spec, infra_hooks());
    for (const auto& failure : failures)
      std::cerr << "podlet: infra-cleanup of pod " << spec.pod << ": " << failure << "\n";
    if (!failures.empty()) throw ExitRequest{kExitError};
  });
}

void add_container(CLI::App& internal) {
  auto* cmd =
      internal.add_subcommand("container", "start a container's workload in its pod (Type=notify unit)");
  auto spec_path = std::make_shared<std::string>();
  cmd->add_option("--spec", *spec_path, "ContainerSpec JSON written by the planner")->required();
  cmd->callback([spec_path] {
    // The entrypoint proper is podlet-runtime (self_exe.h): a small binary, cheap to
    // load and to re-exec from a read-only view, which is what container units run.
    // This spelling execs it; where none is installed, podlet runs the same code itself.
    std::string runtime_binary = runtime::find_runtime_binary();
    try {
      if (!runtime_binary.empty())
        runtime::exec_readonly_binary(runtime_binary,
                                      {runtime_binary, "internal", "container", "--spec", *spec_path});
      runtime::reexec_from_readonly_binary();
    } catch (const Error& e) {
      std::cerr << std::string("podlet: ") + e.what() + "\n";  // one write: a line journald gets whole
      throw ExitRequest{runtime::kExitSetupFailed};
    }
    throw ExitRequest{runtime::run_container_entrypoint(*spec_path)};
  });
}

// An exec probe or hook enters the container: as `podlet exec`, never from a binary it could reach.
void enter_safely(const plan::ProbeSpec& spec) {
  if (!spec.handler.exec.empty() || (spec.pre_stop && !spec.pre_stop->exec.empty()))
    runtime::reexec_from_readonly_binary();
}

void add_probe(CLI::App& internal) {
  auto* cmd = internal.add_subcommand("probe", "run one check of a container's probe (its timer's service)");
  auto spec_path = std::make_shared<std::string>();
  cmd->add_option("--spec", *spec_path, "ProbeSpec JSON written by the planner")->required();
  cmd->callback([spec_path] {
    auto spec = plan::load_probe_spec(*spec_path);
    enter_safely(spec);
    systemd::Manager units;
    run_probe(spec, units, plan::Paths::from_environment());
  });
}

void add_hook(CLI::App& internal) {
  auto* cmd = internal.add_subcommand(
      "hook", "run a container's lifecycle hook (its unit's ExecStartPost=/ExecStop=)");
  auto spec_path = std::make_shared<std::string>();
  cmd->add_option("--spec", *spec_path, "hook spec JSON written by the planner")->required();
  cmd->callback([spec_path] {
    auto spec = plan::load_probe_spec(*spec_path);
    enter_safely(spec);
    systemd::Manager units;
    throw ExitRequest{run_hook(spec, units, plan::Paths::from_environment())};
  });
}

}  // namespace

void register_internal(CLI::App& app, GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("internal", "");
  cmd->group("");
  cmd->require_subcommand(1);
  add_infra(*cmd);
  add_infra_cleanup(*cmd);
  add_container(*cmd);
  add_probe(*cmd);
  add_hook(*cmd);
}

}  // namespace podlet::cli
