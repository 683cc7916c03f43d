# Helpers of the network end-to-end tests (net_*.sh), sourced after lib.sh.
# Not a test itself: only *.sh files are registered.
#
# netpeer: a tiny static server built once per test (the busybox image has no UDP
# server): `netpeer tcp|udp PORT TAG` answers every connection or datagram with
# "TAG peer=<source address>", so a client learns which address the server saw
# (masquerade, DNAT from 127.0.0.1). Containers run it from a hostPath volume.

NET_BRIDGE=podlet0
NET_GATEWAY=10.90.0.1
NET_IPAM="$PODLET_ROOT/ipam/$NET_BRIDGE.json"
NET_HOSTS_REGISTRY="$PODLET_RUNROOT/network/hosts.json"
NETPEER_DIR="$E2E_WORK/netpeer"
NETPEER="$NETPEER_DIR/netpeer"

build_netpeer() {
  mkdir -p "$NETPEER_DIR"
  cat >"$NETPEER_DIR/netpeer.c" <<'C'
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void leave(int sig) { (void)sig; _exit(0); }

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: netpeer tcp|udp PORT TAG\n");
    return 2;
  }
  signal(SIGTERM, leave); /* PID 1 of a container ignores SIGTERM without a handler */
  int udp = strcmp(argv[1], "udp") == 0;
  int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2]))};
  if (s < 0 || bind(s, (struct sockaddr*)&a, sizeof a) < 0 || (!udp && listen(s, 128) < 0)) {
    perror("netpeer");
    return 1;
  }
  for (;;) {
    struct sockaddr_in p;
    socklen_t len = sizeof p;
    char buf[512], out[600];
    if (udp) {
      if (recvfrom(s, buf, sizeof buf, 0, (struct sockaddr*)&p, &len) < 0) continue;
    } else {
      int c = accept(s, (struct sockaddr*)&p, &len);
      if (c < 0) continue;
      int n = snprintf(out, sizeof out, "%s peer=%s\n", argv[3], inet_ntoa(p.sin_addr));
      if (write(c, out, (size_t)n) < 0) perror("write");
      close(c);
      printf("peer=%s\n", inet_ntoa(p.sin_addr));
      fflush(stdout);
      continue;
    }
    int n = snprintf(out, sizeof out, "%s peer=%s\n", argv[3], inet_ntoa(p.sin_addr));
    sendto(s, out, (size_t)n, 0, (struct sockaddr*)&p, len);
    printf("peer=%s\n", inet_ntoa(p.sin_addr));
    fflush(stdout);
  }
}
C
  cc -O1 -static -o "$NETPEER" "$NETPEER_DIR/netpeer.c" || fail "cannot build netpeer"
  chmod 755 "$E2E_WORK" "$NETPEER_DIR"
}

# tcp_ask IP PORT: the line a TCP netpeer answers, from the machine itself.
tcp_ask() {
  timeout 10 bash -c 'exec 3<>"/dev/tcp/$1/$2" && head -n1 <&3' _ "$1" "$2"
}
# udp_ask IP PORT: one datagram there, the answer line.
udp_ask() {
  timeout 10 bash -c 'exec 3<>"/dev/udp/$1/$2" && echo ping >&3 && head -n1 <&3' _ "$1" "$2"
}

# in_pod NS/NAME CONTAINER CMD...: runs CMD in the container (podlet exec).
in_pod() {
  local pod=$1 c=$2
  shift 2
  "$PODLET" exec "$pod" -c "$c" -- "$@"
}

pod_ip() { pod_json "$1" | jq -r '.status.podIP // ""'; }

# netpeer_container NAME tcp|udp PORT TAG [CAPS]: a container spec (YAML lines,
# 4-space list indent) running netpeer, with capabilities CAPS added ("NET_RAW"),
# with glibc's usual nsswitch.conf (the busybox image has none, and names must
# come from /etc/hosts before a DNS server this machine cannot reach).
netpeer_container() {
  local name=$1 proto=$2 port=$3 tag=$4 caps=${5:-}
  cat <<YAML
    - name: $name
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo 'hosts: files dns' > /etc/nsswitch.conf; exec /netpeer/netpeer $proto $port $tag"]
      volumeMounts:
        - name: netpeer
          mountPath: /netpeer
          readOnly: true
YAML
  # busybox's ping needs raw sockets (it does not use ICMP datagram sockets).
  [ -z "$caps" ] || printf '      securityContext:\n        capabilities:\n          add: [%s]\n' "$caps"
}
netpeer_volume() {
  cat <<YAML
  volumes:
    - name: netpeer
      hostPath:
        path: $NETPEER_DIR
        type: Directory
YAML
}

# The address allocations of podlet's IPAM (pod UIDs), one per line.
ipam_pods() { [ -f "$NET_IPAM" ] && jq -r '.pods | keys[]' "$NET_IPAM" || true; }
host_veths() { ip -o link show type veth | awk -F': ' '{print $2}' | cut -d@ -f1; }
podlet_nft_tables() { nft list tables 2>/dev/null | grep -F " podlet_" || true; }

# An "outside world": network namespace EXT_NS joined to the machine by a veth,
# the machine at 192.168.77.1 (its address for hostPort tests), EXT at .2.
EXT_NS=podlet-e2e-ext
EXT_HOST_IP=192.168.77.1
EXT_IP=192.168.77.2
EXT_PIDS=()
make_external() {
  ip netns add "$EXT_NS"
  ip link add pe2e-ext type veth peer name eth0 netns "$EXT_NS"
  ip addr add "$EXT_HOST_IP/24" dev pe2e-ext
  ip link set pe2e-ext up
  ip -n "$EXT_NS" addr add "$EXT_IP/24" dev eth0
  ip -n "$EXT_NS" link set eth0 up
  ip -n "$EXT_NS" link set lo up
}
remove_external() {
  local pid
  for pid in "${EXT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  ip link del pe2e-ext 2>/dev/null || true
  ip netns del "$EXT_NS" 2>/dev/null || true
}
# When the test ends, the namespace and its servers go (then lib.sh's cleanup).
on_exit remove_external
