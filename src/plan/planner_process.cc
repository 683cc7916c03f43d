// The container's process: argv, cwd, user and the other ProcessSpec fields.
#include <charconv>

#include <fmt/core.h>

#include "manifest/expand.h"
#include "plan/planner_internal.h"

namespace podlet::plan::detail {

namespace {

std::optional<uint32_t> parse_id(std::string_view s) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The securityContext field the container sets, else the pod's.
template <typename T>
std::optional<T> effective(const std::optional<T>& container, const std::optional<T>& pod) {
  return container ? container : pod;
}

}  // namespace

std::vector<std::string> merge_args(const manifest::Container& c, const ImageData& image,
                                    const EnvList& env) {
  // Kubernetes: command replaces Entrypoint (and drops Cmd); args replace Cmd.
  std::vector<std::string> argv;
  if (!c.command.empty()) {
    argv = c.command;
    argv.insert(argv.end(), c.args.begin(), c.args.end());
  } else {
    argv = image.entrypoint;
    const auto& tail = c.args.empty() ? image.cmd : c.args;
    argv.insert(argv.end(), tail.begin(), tail.end());
  }
  // $(VAR) in command and args, with the container's manifest env (not the image's).
  auto look = [&](std::string_view name) { return lookup(env, name); };
  for (size_t i = 0; i < argv.size(); ++i) {
    bool from_manifest = !c.command.empty() ? true : i >= image.entrypoint.size() && !c.args.empty();
    if (from_manifest) argv[i] = manifest::expand_vars(argv[i], look);
  }
  return argv;
}

void plan_process(const PodContext& pod, const ContainerContext& c, const ManifestEnv& env,
                  ProcessSpec& out) {
  out.args = merge_args(c.c, c.image, env.vars);
  if (out.args.empty())
    pod.fail(c.path + ".command",
             fmt::format("container {}: no command: neither the manifest nor image {} gives one", c.c.name,
                         c.c.image));
  out.env = merge_env(c.image.env, env.vars, c.c.tty);
  out.cwd = !c.c.working_dir.empty()       ? c.c.working_dir
            : !c.image.working_dir.empty() ? c.image.working_dir
                                           : "/";
  out.tty = c.c.tty;
  out.stdin_open = c.c.stdin;
  out.termination_message_path = c.c.termination_message_path;

  const auto& psc = pod.pod.spec.security_context;
  const auto* sc = container_security(c.c);
  auto run_as_user = effective(sc ? sc->run_as_user : std::nullopt, psc.run_as_user);
  auto run_as_group = effective(sc ? sc->run_as_group : std::nullopt, psc.run_as_group);
  auto non_root = effective(sc ? sc->run_as_non_root : std::nullopt, psc.run_as_non_root);

  // The image's USER is "user[:group]", names resolved by the runtime inside the root.
  std::string image_user = c.image.user, image_group;
  if (auto colon = image_user.find(':'); colon != std::string::npos) {
    image_group = image_user.substr(colon + 1);
    image_user.resize(colon);
  }
  if (run_as_user) {
    out.uid = static_cast<uint32_t>(*run_as_user);
  } else if (auto id = parse_id(image_user)) {
    out.uid = *id;
  } else if (!image_user.empty()) {
    out.user = c.image.user;  // the runtime resolves name (and group) in the image's /etc/passwd
  }
  // No group given: the runtime takes the user's primary group from the image's
  // /etc/passwd, or 0 (as containerd and Podman do).
  if (run_as_group) {
    out.gid = static_cast<uint32_t>(*run_as_group);
  } else if (auto id = parse_id(image_group)) {
    out.gid = *id;
  }
  if (!out.uid && out.user.empty()) out.uid = 0;

  for (int64_t g : psc.supplemental_groups) out.supplemental_groups.push_back(static_cast<uint32_t>(g));
  if (psc.fs_group) out.supplemental_groups.push_back(static_cast<uint32_t>(*psc.fs_group));

  out.run_as_non_root = non_root.value_or(false);
  if (out.run_as_non_root && out.uid && *out.uid == 0) {
    pod.fail(run_as_user ? c.path + ".securityContext.runAsUser" : c.path + ".securityContext.runAsNonRoot",
             fmt::format("container {} has runAsNonRoot and would run as root (uid 0{})", c.c.name,
                         run_as_user ? "" : fmt::format(", image {} user '{}'", c.c.image, c.image.user)));
  }
  // allowPrivilegeEscalation defaults to true in Kubernetes; false sets no_new_privs.
  auto escalation = sc ? sc->allow_privilege_escalation : std::nullopt;
  out.no_new_privileges = escalation.has_value() && !*escalation;
}

}  // namespace podlet::plan::detail
