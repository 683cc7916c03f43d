#include "runtime/seccomp_filter.h"

#include <linux/capability.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "runtime/capabilities.h"

namespace podlet::runtime {

namespace {

constexpr int kAlways = -1;  // denied whatever the capabilities

struct DeniedCall {
  const char* name;
  int capability;  // the call stays allowed when the container holds it
};

// The calls the container runtimes' default profile keeps from containers.
constexpr DeniedCall kDenied[] = {
    {"acct", CAP_SYS_PACCT},
    {"add_key", kAlways},
    {"request_key", kAlways},
    {"keyctl", kAlways},
    {"bpf", CAP_SYS_ADMIN},
    {"perf_event_open", CAP_SYS_ADMIN},
    {"create_module", kAlways},
    {"get_kernel_syms", kAlways},
    {"query_module", kAlways},
    {"init_module", CAP_SYS_MODULE},
    {"finit_module", CAP_SYS_MODULE},
    {"delete_module", CAP_SYS_MODULE},
    {"kexec_load", CAP_SYS_BOOT},
    {"kexec_file_load", CAP_SYS_BOOT},
    {"reboot", CAP_SYS_BOOT},
    {"lookup_dcookie", CAP_SYS_ADMIN},
    {"nfsservctl", kAlways},
    {"quotactl", CAP_SYS_ADMIN},
    {"quotactl_fd", CAP_SYS_ADMIN},
    {"swapon", CAP_SYS_ADMIN},
    {"swapoff", CAP_SYS_ADMIN},
    {"_sysctl", kAlways},
    {"sysfs", kAlways},
    {"uselib", kAlways},
    {"ustat", kAlways},
    {"vm86", kAlways},
    {"vm86old", kAlways},
    {"userfaultfd", CAP_SYS_PTRACE},
    {"open_by_handle_at", CAP_DAC_READ_SEARCH},
    {"iopl", CAP_SYS_RAWIO},
    {"ioperm", CAP_SYS_RAWIO},
    {"kcmp", CAP_SYS_PTRACE},
    {"settimeofday", CAP_SYS_TIME},
    {"stime", CAP_SYS_TIME},
    {"clock_settime", CAP_SYS_TIME},
    {"clock_settime64", CAP_SYS_TIME},
    {"clock_adjtime", CAP_SYS_TIME},
    {"clock_adjtime64", CAP_SYS_TIME},
    {"syslog", CAP_SYSLOG},
    {"mount", CAP_SYS_ADMIN},
    {"umount", CAP_SYS_ADMIN},
    {"umount2", CAP_SYS_ADMIN},
    {"pivot_root", CAP_SYS_ADMIN},
    {"unshare", CAP_SYS_ADMIN},
    {"setns", CAP_SYS_ADMIN},
    {"fsopen", CAP_SYS_ADMIN},
    {"fsconfig", CAP_SYS_ADMIN},
    {"fsmount", CAP_SYS_ADMIN},
    {"fspick", CAP_SYS_ADMIN},
    {"open_tree", CAP_SYS_ADMIN},
    {"move_mount", CAP_SYS_ADMIN},
    {"mount_setattr", CAP_SYS_ADMIN},
    {"fanotify_init", CAP_SYS_ADMIN},
    {"chroot", CAP_SYS_CHROOT},
    {"vhangup", CAP_SYS_TTY_CONFIG},
    {"mbind", CAP_SYS_NICE},
    {"set_mempolicy", CAP_SYS_NICE},
    {"move_pages", CAP_SYS_NICE},
    {"io_uring_setup", kAlways},
    {"io_uring_enter", kAlways},
    {"io_uring_register", kAlways},
};

// Namespace flags clone(2) may not carry without CAP_SYS_ADMIN.
constexpr uint64_t kCloneNamespaceFlags[] = {CLONE_NEWNS,  CLONE_NEWUTS, CLONE_NEWIPC,   CLONE_NEWUSER,
                                             CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP};

struct Ctx {
  scmp_filter_ctx ctx;
  ~Ctx() {
    if (ctx) seccomp_release(ctx);
  }
  void* release() { return std::exchange(ctx, nullptr); }
};

void check(int rc, const std::string& what) {
  if (rc < 0) throw system_error("seccomp: " + what, -rc);
}

// The foreign ABIs a native binary can switch to (int 0x80, x32) must be filtered too.
void add_compat_arches(scmp_filter_ctx ctx) {
  if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
    check(seccomp_arch_add(ctx, SCMP_ARCH_X86), "add arch x86");
    check(seccomp_arch_add(ctx, SCMP_ARCH_X32), "add arch x32");
  } else if (seccomp_arch_native() == SCMP_ARCH_AARCH64) {
    check(seccomp_arch_add(ctx, SCMP_ARCH_ARM), "add arch arm");
  }
}

void deny(scmp_filter_ctx ctx, const char* name, uint32_t action, std::vector<scmp_arg_cmp> args = {}) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR) return;  // unknown to this libseccomp: nothing to deny
  int rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(args.size()), args.data());
  if (rc == -EDOM || rc == -EEXIST) return;  // not present on these architectures / duplicate
  check(rc, std::string("deny ") + name);
}

void *build_default(uint64_t caps) {
  Ctx c{seccomp_init(SCMP_ACT_ALLOW)};
  if (!c.ctx) throw Error("seccomp: init failed");
  add_compat_arches(c.ctx);
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  for (const auto& call : kDenied)
    if (call.capability == kAlways || !has_capability(caps, call.capability)) deny(c.ctx, call.name, eperm);
  if (!has_capability(caps, CAP_SYS_ADMIN)) {
    for (uint64_t flag : kCloneNamespaceFlags) deny(c.ctx, "clone", eperm, {SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)});
    // clone3 passes its flags in memory a filter cannot read: make libc fall back to clone.
    deny(c.ctx, "clone3", SCMP_ACT_ERRNO(ENOSYS));
  }
  if (!has_capability(caps, CAP_SYS_ADMIN)) {
    // Pushing input into another process's terminal.
    deny(c.ctx, "ioctl", eperm, {SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI)});
    deny(c.ctx, "ioctl", eperm, {SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX)});
  }
  return c.release();
}

// --- localhost: OCI / Docker JSON profiles ---

uint32_t parse_action(const std::string& name, std::optional<int> errno_ret, int default_errno) {
  if (name == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (name == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(static_cast<uint16_t>(errno_ret.value_or(default_errno)));
  if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (name == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (name == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (name == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  if (name == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(static_cast<uint16_t>(errno_ret.value_or(default_errno)));
  throw Error("unsupported action \"" + name + "\"");
}

scmp_compare parse_op(const std::string& op) {
  static const std::map<std::string, scmp_compare> kOps = {
      {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
      {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ}};
  auto it = kOps.find(op);
  if (it == kOps.end()) throw Error("unsupported argument operator \"" + op + "\"");
  return it->second;
}

const char* go_arch() {
  switch (seccomp_arch_native()) {
    case SCMP_ARCH_X86_64: return "amd64";
    case SCMP_ARCH_AARCH64: return "arm64";
    case SCMP_ARCH_X86: return "386";
    default: return "";
  }
}

bool kernel_at_least(const std::string& version) {
  utsname u;
  if (::uname(&u) < 0) return true;
  int have_major = 0, have_minor = 0, want_major = 0, want_minor = 0;
  std::sscanf(u.release, "%d.%d", &have_major, &have_minor);
  std::sscanf(version.c_str(), "%d.%d", &want_major, &want_minor);
  return have_major > want_major || (have_major == want_major && have_minor >= want_minor);
}

template <typename T>
bool contains(const nlohmann::json& list, const T& value) {
  for (const auto& item : list)
    if (item == value) return true;
  return false;
}

// Docker's "includes"/"excludes": a rule applies only to some capabilities, arches, kernels.
bool rule_applies(const nlohmann::json& rule, uint64_t caps) {
  auto cap_held = [&](const std::string& name) {
    try {
      return (parse_capabilities({name}) & caps) != 0;
    } catch (const Error&) {
      return false;
    }
  };
  if (auto in = rule.find("includes"); in != rule.end()) {
    for (const auto& cap : in->value("caps", nlohmann::json::array()))
      if (!cap_held(cap.get<std::string>())) return false;
    auto arches = in->value("arches", nlohmann::json::array());
    if (!arches.empty() && !contains(arches, std::string(go_arch()))) return false;
    if (in->contains("minKernel") && !kernel_at_least(in->value("minKernel", ""))) return false;
  }
  if (auto ex = rule.find("excludes"); ex != rule.end()) {
    for (const auto& cap : ex->value("caps", nlohmann::json::array()))
      if (cap_held(cap.get<std::string>())) return false;
    if (contains(ex->value("arches", nlohmann::json::array()), std::string(go_arch()))) return false;
  }
  return true;
}

void add_arch(scmp_filter_ctx ctx, const std::string& scmp_name) {
  std::string name = scmp_name;
  if (name.rfind("SCMP_ARCH_", 0) == 0) name = name.substr(10);
  for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  uint32_t arch = seccomp_arch_resolve_name(name.c_str());
  if (arch == 0) throw Error("unknown architecture \"" + scmp_name + "\"");
  int rc = seccomp_arch_add(ctx, arch);
  if (rc < 0 && rc != -EEXIST) check(rc, "add arch " + scmp_name);
}

void add_rule(scmp_filter_ctx ctx, const std::string& name, uint32_t action, const std::vector<scmp_arg_cmp>& args) {
  int nr = seccomp_syscall_resolve_name(name.c_str());
  if (nr == __NR_SCMP_ERROR) return;  // unknown syscall: skipped, as runc does
  // Several conditions on one argument mean "any of them" in these profiles.
  std::map<unsigned, int> per_arg;
  for (const auto& a : args) per_arg[a.arg]++;
  bool repeated = false;
  for (const auto& [arg, count] : per_arg) repeated |= count > 1;
  int rc;
  if (!repeated) {
    rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(args.size()), args.data());
  } else {
    rc = 0;
    for (const auto& a : args) {
      rc = seccomp_rule_add_array(ctx, action, nr, 1, &a);
      if (rc < 0 && rc != -EEXIST) break;
    }
  }
  if (rc < 0 && rc != -EDOM && rc != -EEXIST) check(rc, "rule for " + name);
}

void* build_localhost(const std::string& path, uint64_t caps) {
  if (path.empty()) throw Error("seccomp: localhost profile without a path");
  nlohmann::json profile;
  try {
    profile = nlohmann::json::parse(read_file(path));
    int default_errno = profile.value("defaultErrnoRet", EPERM);
    uint32_t default_action =
        parse_action(profile.value("defaultAction", ""), profile.contains("defaultErrnoRet")
                                                             ? std::optional<int>(default_errno)
                                                             : std::nullopt,
                     EPERM);
    if (profile.contains("listenerPath") && !profile["listenerPath"].get<std::string>().empty())
      throw Error("listenerPath (seccomp notify) is not supported");
    Ctx c{seccomp_init(default_action)};
    if (!c.ctx) throw Error("seccomp: init failed");
    check(seccomp_attr_set(c.ctx, SCMP_FLTATR_CTL_NNP, 0), "attr");
    for (const auto& arch : profile.value("architectures", nlohmann::json::array())) add_arch(c.ctx, arch);
    for (const auto& entry : profile.value("archMap", nlohmann::json::array())) {
      if (entry.value("architecture", "") != "SCMP_ARCH_X86_64" || seccomp_arch_native() != SCMP_ARCH_X86_64) continue;
      for (const auto& sub : entry.value("subArchitectures", nlohmann::json::array())) add_arch(c.ctx, sub);
    }
    for (const auto& rule : profile.value("syscalls", nlohmann::json::array())) {
      if (!rule_applies(rule, caps)) continue;
      std::optional<int> errno_ret;
      if (rule.contains("errnoRet")) errno_ret = rule["errnoRet"].get<int>();
      uint32_t action = parse_action(rule.value("action", ""), errno_ret, default_errno);
      if (action == default_action) continue;
      std::vector<scmp_arg_cmp> args;
      for (const auto& a : rule.value("args", nlohmann::json::array()))
        args.push_back(scmp_arg_cmp{a.value("index", 0u), parse_op(a.value("op", "")), a.value("value", uint64_t{0}),
                                    a.value("valueTwo", uint64_t{0})});
      std::vector<std::string> names = rule.value("names", std::vector<std::string>{});
      if (rule.contains("name")) names.push_back(rule["name"].get<std::string>());
      for (const auto& name : names) add_rule(c.ctx, name, action, args);
    }
    return c.release();
  } catch (const nlohmann::json::exception& e) {
    throw Error("seccomp profile " + path + ": " + e.what());
  } catch (Error& e) {
    e.add_context("seccomp profile " + path);
    throw;
  }
}

}  // namespace

SeccompFilter& SeccompFilter::operator=(SeccompFilter&& other) noexcept {
  if (this != &other) {
    if (ctx_) seccomp_release(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
  }
  return *this;
}

SeccompFilter::~SeccompFilter() {
  if (ctx_) seccomp_release(ctx_);
}

int SeccompFilter::load() noexcept {
  if (!ctx_) return 0;
  return seccomp_load(ctx_);
}

SeccompFilter build_seccomp_filter(const plan::SeccompSpec& spec, uint64_t capabilities) {
  if (spec.mode == "unconfined") return SeccompFilter();
  void* ctx = nullptr;
  if (spec.mode == "runtime-default" || spec.mode.empty()) {
    ctx = build_default(capabilities);
  } else if (spec.mode == "localhost") {
    ctx = build_localhost(spec.profile_path, capabilities);
  } else {
    throw Error("seccomp: unknown mode \"" + spec.mode + "\"");
  }
  SeccompFilter filter(ctx);
  // no_new_privs is the caller's decision (allowPrivilegeEscalation), not libseccomp's.
  check(seccomp_attr_set(static_cast<scmp_filter_ctx>(ctx), SCMP_FLTATR_CTL_NNP, 0), "attr");
  return filter;
}

}  // namespace podlet::runtime
