// Measures, as root, in a private mount namespace and pod namespaces it creates
// (no pod network, no systemd):
//   - the container entrypoint: from spawning `podlet internal container --spec`
//     to the workload's first instruction (the probe reads CLOCK_MONOTONIC as it
//     starts), and to the entrypoint's exit after READY=1;
//   - the infra's memory: VmRSS and Pss of the process holding the pod's
//     namespaces, in place and as the forked PID 1 of a shared pid namespace.
//
//   podlet-bench-runtime [--runs N]
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "pod_fixture.h"

using namespace podlet::test;

namespace {

int64_t monotonic_ns() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

// A "Name:   123 kB" field of a /proc file, in kB; -1 when absent.
long proc_kb(const std::string& path, const std::string& name) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + ":", 0) == 0) return std::stol(line.substr(name.size() + 1));
  return -1;
}

void print_stats(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  std::printf("%-44s median %7.2f ms   min %7.2f   p90 %7.2f   max %7.2f   (n=%zu)\n", what,
              ms[ms.size() / 2], ms.front(), ms[ms.size() * 9 / 10], ms.back(), ms.size());
}

void infra_memory(Sandbox& sandbox, const std::string& image, bool share_pid) {
  Pod pod(sandbox, share_pid ? "pid1" : "inplace", image, share_pid);
  pod.start();
  std::string proc = "/proc/" + std::to_string(pod.infra_pid());
  // READY=1 comes before the infra execs the minimal holder: measure that one.
  for (int i = 0; i < 500 && read_text(proc + "/comm") != "podlet-infra\n"; ++i) ::usleep(10000);
  long rss = proc_kb(proc + "/status", "VmRSS");
  long pss = proc_kb(proc + "/smaps_rollup", "Pss");
  long anon = proc_kb(proc + "/status", "RssAnon");
  std::printf("infra RSS (%-22s) VmRSS %6ld kB   RssAnon %6ld kB   Pss %6ld kB   target < 1024 kB\n",
              share_pid ? "forked PID 1 of the pod" : "in place", rss, anon, pss);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 30;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--runs") == 0) runs = std::max(1, std::atoi(argv[++i]));
  try {
    Sandbox sandbox;
    std::string image = make_test_image(sandbox);
    infra_memory(sandbox, image, false);
    infra_memory(sandbox, image, true);

    Pod pod(sandbox, "bench", image);
    pod.start();
    std::vector<double> to_exec, to_ready;
    for (int i = 0; i < runs; ++i) {
      auto spec = pod.container_spec("bench", {"/usr/bin/podlet-probe", "clock"});
      int64_t start = monotonic_ns();
      Started started = pod.start_container(spec);
      int64_t ready = monotonic_ns();
      if (started.podlet_exit != 0)
        throw std::runtime_error("container did not start: " + started.podlet_stderr);
      auto exited = sandbox.wait_exit(started.pid, 60s);
      auto clock = last_json_line(started.stdout_path);
      if (!exited || !clock.contains("monotonic_ns"))
        throw std::runtime_error("the probe did not report its clock");
      to_exec.push_back(static_cast<double>(clock["monotonic_ns"].get<int64_t>() - start) / 1e6);
      to_ready.push_back(static_cast<double>(ready - start) / 1e6);
    }
    print_stats("container entrypoint spawn -> workload exec", to_exec);
    print_stats("container entrypoint spawn -> READY=1, exit", to_ready);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "podlet-bench-runtime: %s\n", e.what());
    return 1;
  }
  return 0;
}
