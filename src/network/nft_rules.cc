#include "network/nft_rules.h"

#include <nftables/libnftables.h>

#include <memory>

#include <fmt/format.h>

#include "base/error.h"

namespace podlet::network {

std::string nft_table_name(const std::string& bridge) {
  std::string name = "podlet_" + bridge;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  return name;
}

std::string render_nat_table(const std::string& table, const Ipv4Net& subnet,
                             const std::vector<NatPod>& pods) {
  // "add" first so the "delete" never fails when the table is absent.
  std::string out = fmt::format("add table ip {0}\ndelete table ip {0}\n", table);
  if (pods.empty()) return out;
  std::string net = to_string(subnet);
  out += fmt::format("table ip {} {{\n", table);
  out +=
      "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n"
      "    fib daddr type local jump hostports\n  }\n";
  out +=
      "  chain output {\n    type nat hook output priority -100; policy accept;\n"
      "    fib daddr type local jump hostports\n  }\n";
  out += "  chain hostports {\n";
  for (const auto& pod : pods) {
    for (const auto& p : pod.ports) {
      std::string daddr = p.host_ip.empty() ? "" : "ip daddr " + p.host_ip + " ";
      out += fmt::format("    {}{} dport {} dnat to {}:{}\n", daddr, p.protocol, p.host_port,
                         to_string(pod.ip), p.container_port);
    }
  }
  out += "  }\n";
  out += "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n";
  out += fmt::format("    ip saddr 127.0.0.0/8 ip daddr {} masquerade\n", net);
  out += fmt::format("    ct status dnat ip saddr {0} ip daddr {0} masquerade\n", net);
  out += fmt::format("    ip saddr {0} ip daddr != {0} masquerade\n", net);
  out += "  }\n}\n";
  return out;
}

namespace {

struct CtxDeleter {
  void operator()(nft_ctx* ctx) const noexcept { nft_ctx_free(ctx); }
};
using Ctx = std::unique_ptr<nft_ctx, CtxDeleter>;

Ctx make_ctx() {
  Ctx ctx(nft_ctx_new(NFT_CTX_DEFAULT));
  if (!ctx) throw Error("nftables: cannot create a context");
  // Capture nft's messages instead of letting it print to our stdout/stderr.
  if (nft_ctx_buffer_output(ctx.get()) != 0 || nft_ctx_buffer_error(ctx.get()) != 0) {
    throw Error("nftables: cannot buffer output");
  }
  return ctx;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

void run_nft(const std::string& script) {
  Ctx ctx = make_ctx();
  if (nft_run_cmd_from_buffer(ctx.get(), script.c_str()) != 0) {
    const char* err = nft_ctx_get_error_buffer(ctx.get());
    throw Error("nftables: " + trim(err ? err : "unknown error"));
  }
}

std::string list_nft_table(const std::string& table) {
  Ctx ctx = make_ctx();
  std::string cmd = "list table ip " + table;
  if (nft_run_cmd_from_buffer(ctx.get(), cmd.c_str()) != 0) {
    std::string err = nft_ctx_get_error_buffer(ctx.get());
    if (err.find("No such file or directory") != std::string::npos) return "";
    throw Error("nftables: " + trim(err));
  }
  const char* out = nft_ctx_get_output_buffer(ctx.get());
  return out ? out : "";
}

}  // namespace podlet::network
