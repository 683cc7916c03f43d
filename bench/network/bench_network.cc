// Measures, as root, entirely inside network namespaces it creates (a "host"
// namespace, pod namespaces): how long attach_pod/detach_pod take (the time the
// network adds to a pod start and stop), and TCP throughput pod<->pod and
// host<->pod over the veths and the bridge.
//
//   podlet-bench-network [--pods N] [--seconds S]
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "net_helpers.h"
#include "network/pod_network.h"

namespace net = podlet::network;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Stats {
  double median, min, max;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

// Streams for `seconds` from `client_netns` to ip:port (listener in its own
// namespace) and returns Gbit/s as the receiver counted it.
double tcp_throughput(int client_netns, int server_netns, const std::string& ip, double seconds) {
  podlet::UniqueFd listener = net::testing::tcp_listen(server_netns, 5201);
  std::atomic<uint64_t> received{0};
  std::thread receiver([&] {
    podlet::UniqueFd conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    std::vector<char> buf(1 << 20);
    for (;;) {
      ssize_t n = ::recv(conn.get(), buf.data(), buf.size(), 0);
      if (n <= 0) break;
      received += static_cast<uint64_t>(n);
    }
  });
  podlet::UniqueFd client = net::testing::socket_in(client_netns, SOCK_STREAM);
  sockaddr_in to = net::testing::sockaddr_of(ip, 5201);
  if (::connect(client.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
    std::perror("connect");
    std::exit(1);
  }
  std::vector<char> buf(1 << 20, 'x');
  auto start = Clock::now();
  auto end = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < end) {
    if (::send(client.get(), buf.data(), buf.size(), MSG_NOSIGNAL) < 0) break;
  }
  ::shutdown(client.get(), SHUT_WR);
  receiver.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(received.load()) * 8 / elapsed / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  int pods = 20;
  double seconds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--pods") == 0) pods = std::max(2, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atof(argv[i + 1]);
  }
  char tmpl[] = "/tmp/podlet-bench-network.XXXXXX";
  if (!::mkdtemp(tmpl)) return 1;
  std::string ipam = std::string(tmpl) + "/ipam";

  net::testing::TestNetns host;
  std::vector<std::unique_ptr<net::testing::TestNetns>> netns;
  for (int i = 0; i < pods; ++i) netns.push_back(std::make_unique<net::testing::TestNetns>());
  std::vector<std::string> ips;
  std::vector<double> attach_ms, detach_ms;
  double first_attach = 0;
  {
    net::testing::NetnsScope in_host(host.fd());
    for (int i = 0; i < pods; ++i) {
      podlet::plan::NetworkSpec spec;
      spec.pod_uid = "bench-" + std::to_string(i);
      spec.ports = {{"", static_cast<uint16_t>(20000 + i), 80, "tcp"}};
      auto start = Clock::now();
      auto a = net::attach_pod(spec, ipam, netns[i]->fd(), "bench/p" + std::to_string(i), ::getpid());
      (i == 0 ? first_attach : attach_ms.emplace_back()) = ms_since(start);
      ips.push_back(a.ip);
    }
  }
  std::printf("network setup per pod (attach_pod: veth, address, route, IPAM, nft table with hostPorts)\n");
  std::printf("  first pod (creates the bridge):  %.2f ms\n", first_attach);
  Stats a = stats(attach_ms);
  std::printf("  next %d pods:  median %.2f ms  (min %.2f, max %.2f; the last one with %d pods attached)\n",
              pods - 1, a.median, a.min, a.max, pods - 1);

  std::printf("TCP throughput over %.0f s, one stream:\n", seconds);
  std::printf("  pod -> pod   (veth, bridge, veth):  %.2f Gbit/s\n",
              tcp_throughput(netns[0]->fd(), netns[1]->fd(), ips[1], seconds));
  std::printf("  host -> pod  (bridge, veth):        %.2f Gbit/s\n",
              tcp_throughput(host.fd(), netns[0]->fd(), ips[0], seconds));
  std::printf("  pod -> host  (veth, bridge):        %.2f Gbit/s\n",
              tcp_throughput(netns[0]->fd(), host.fd(), "10.90.0.1", seconds));

  {
    net::testing::NetnsScope in_host(host.fd());
    for (int i = pods - 1; i >= 0; --i) {
      podlet::plan::NetworkSpec spec;
      spec.pod_uid = "bench-" + std::to_string(i);
      auto start = Clock::now();
      net::detach_pod(spec, ipam);
      detach_ms.push_back(ms_since(start));
    }
  }
  Stats d = stats(detach_ms);
  std::printf("network teardown per pod (detach_pod):  median %.2f ms  (min %.2f, max %.2f)\n", d.median,
              d.min, d.max);
  std::error_code ec;
  std::filesystem::remove_all(tmpl, ec);
  return 0;
}
