// Shared fixtures of the image integration tests: a private tmpfs (overlayfs and
// whiteouts need a real filesystem, and the test machine's root is overlayfs),
// a busybox root filesystem, an OCI layout written by hand, and running commands.
#pragma once

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "../../unit/image/tar_builder.h"
#include "base/atomic_file.h"
#include "image/digest.h"

namespace podlet::image::testing {

// A temporary directory with a tmpfs mounted on it, unmounted and removed at the end.
struct TmpfsDir {
  TempDir dir;
  std::string path = dir.path;
  TmpfsDir() {
    if (::mount("tmpfs", path.c_str(), "tmpfs", 0, "mode=0755,size=2g") < 0)
      throw std::runtime_error("mount tmpfs on " + path);
  }
  ~TmpfsDir() { ::umount2(path.c_str(), MNT_DETACH); }
};

// Starts `command` (sh -c) with its output in `log`; returns its pid (the caller waits for it).
inline pid_t spawn(const std::string& command, const std::string& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    ::_exit(127);
  }
  if (pid < 0) throw std::runtime_error("fork");
  return pid;
}

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

inline CommandResult run(const std::string& command) {
  CommandResult r;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen((command + " 2>&1").c_str(), "r"), pclose);
  if (!p) throw std::runtime_error("popen " + command);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) r.output.append(buf.data(), n);
  int st = pclose(p.release());
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// The busybox-static binary plus a symlink per applet, /etc/passwd and /etc/group.
inline TarBuilder busybox_rootfs() {
  TarBuilder t;
  t.dir("./").dir("bin").dir("sbin").dir("usr").dir("usr/bin").dir("usr/sbin").dir("etc").dir("tmp", 01777);
  t.file("bin/busybox", read_file("/bin/busybox"), 0755);
  auto list = run("/bin/busybox --list-full");
  if (list.status != 0) throw std::runtime_error("busybox --list-full failed");
  size_t start = 0;
  while (start < list.output.size()) {
    size_t end = list.output.find('\n', start);
    if (end == std::string::npos) end = list.output.size();
    std::string applet = list.output.substr(start, end - start);
    start = end + 1;
    if (applet.empty() || applet == "bin/busybox") continue;
    t.symlink(applet, "/bin/busybox");
  }
  t.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
  t.file("etc/group", "root:x:0:\nnogroup:x:65534:\n");
  return t;
}

// Adds one image (gzip or zstd layers, a config with runtime fields) to the OCI
// layout at `dir` and returns its manifest descriptor.
inline nlohmann::json add_oci_image(const std::string& dir, const std::vector<TarBuilder>& layers,
                                    const std::string& arch = "amd64",
                                    TarBuilder::Compression compression = TarBuilder::Compression::kGzip) {
  namespace fs = std::filesystem;
  fs::create_directories(dir + "/blobs/sha256");
  auto put = [&](const std::string& data) {
    std::string d = sha256_digest(data);
    write_file_atomic(dir + "/blobs/sha256/" + d.substr(7), data);
    return d;
  };
  nlohmann::json diff_ids = nlohmann::json::array(), descs = nlohmann::json::array();
  for (const auto& l : layers) {
    diff_ids.push_back(sha256_digest(l.bytes()));
    std::string blob = l.bytes(compression);
    descs.push_back({{"mediaType", compression == TarBuilder::Compression::kZstd
                                       ? "application/vnd.oci.image.layer.v1.tar+zstd"
                                       : "application/vnd.oci.image.layer.v1.tar+gzip"},
                     {"digest", put(blob)},
                     {"size", blob.size()}});
  }
  std::string config = nlohmann::json{{"created", "2024-05-06T07:08:09Z"},
                                      {"architecture", arch},
                                      {"os", "linux"},
                                      {"config",
                                       {{"Env", {"PATH=/bin:/usr/bin:/sbin:/usr/sbin", "GREETING=hello"}},
                                        {"Entrypoint", {"/bin/sh", "-c"}},
                                        {"Cmd", {"echo $GREETING"}},
                                        {"WorkingDir", "/tmp"},
                                        {"User", "nobody"},
                                        {"ExposedPorts", {{"8080/tcp", nlohmann::json::object()}}}}},
                                      {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
                           .dump();
  std::string manifest = nlohmann::json{
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
      {"config",
       {{"mediaType", "application/vnd.oci.image.config.v1+json"},
        {"digest", put(config)},
        {"size", config.size()}}},
      {"layers", descs}}.dump();
  return {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
          {"digest", put(manifest)},
          {"size", manifest.size()},
          {"platform", {{"os", "linux"}, {"architecture", arch}}}};
}

// Writes index.json naming `desc` as `ref_name`; with several descriptors, they go
// into an image index (a multi-platform "manifest list") first.
inline void write_oci_index(const std::string& dir, const std::vector<nlohmann::json>& descs,
                            const std::string& ref_name) {
  nlohmann::json top;
  if (descs.size() == 1) {
    top = descs[0];
  } else {
    std::string index = nlohmann::json{
        {"schemaVersion", 2},
        {"mediaType", "application/vnd.oci.image.index.v1+json"},
        {"manifests",
         descs}}.dump();
    std::string d = sha256_digest(index);
    write_file_atomic(dir + "/blobs/sha256/" + d.substr(7), index);
    top = {{"mediaType", "application/vnd.oci.image.index.v1+json"}, {"digest", d}, {"size", index.size()}};
  }
  top["annotations"] = {{"org.opencontainers.image.ref.name", ref_name}};
  write_file_atomic(dir + "/index.json",
                    nlohmann::json{{"schemaVersion", 2}, {"manifests", nlohmann::json::array({top})}}.dump());
  write_file_atomic(dir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
}

inline void write_oci_layout(const std::string& dir, const std::vector<TarBuilder>& layers,
                             const std::string& ref_name) {
  write_oci_index(dir, {add_oci_image(dir, layers)}, ref_name);
}

}  // namespace podlet::image::testing
