#!/usr/bin/env bash
# hostNetwork: true runs in the machine's own network namespace (no address, no
# veth) with the host's /etc/hosts (plus hostAliases), resolv.conf and hostname
# (/etc/hostname too, as the kubelet). dnsPolicy: None with dnsConfig renders the
# pod's resolv.conf from dnsConfig alone; a pod on the bridge gets the host's
# resolver without loopback nameservers (unreachable from its network namespace).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_common.bash"
use_namespace nethost
ensure_busybox

f=$(manifest hostnet <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: hostnet
  namespace: nethost
spec:
  hostNetwork: true
  terminationGracePeriodSeconds: 2
  hostAliases:
    - ip: 192.0.2.20
      hostnames: [hostnet-alias]
  containers:
    - name: c
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
)
"$PODLET" play "$f" || fail "play hostnet failed"
[ "$(in_pod nethost/hostnet c readlink /proc/self/ns/net)" = "$(readlink /proc/self/ns/net)" ] ||
  fail "the hostNetwork pod is not in the machine's network namespace"
[ -z "$(host_veths)" ] || fail "a hostNetwork pod got a veth: $(host_veths)"
[ -z "$(ipam_pods)" ] || fail "a hostNetwork pod got an address: $(ipam_pods)"
[ "$(in_pod nethost/hostnet c hostname)" = "$(hostname)" ] || fail "hostname differs from the machine's"
hosts=$(in_pod nethost/hostnet c cat /etc/hosts)
[ "$(head -n "$(wc -l </etc/hosts)" <<<"$hosts")" = "$(cat /etc/hosts)" ] ||
  fail "/etc/hosts is not the machine's: $hosts"
grep -qE "^192\.0\.2\.20[[:space:]]+hostnet-alias" <<<"$hosts" || fail "hostAliases missing: $hosts"
[ "$(in_pod nethost/hostnet c cat /etc/hostname)" = "$(hostname)" ] ||
  fail "/etc/hostname is not the machine's: $(in_pod nethost/hostnet c cat /etc/hostname)"
# The host's own resolver, loopback nameservers (systemd-resolved's stub) included.
[ "$(in_pod nethost/hostnet c grep ^nameserver /etc/resolv.conf)" = "$(grep ^nameserver /etc/resolv.conf | head -n 3)" ] ||
  fail "resolv.conf nameservers differ from the host's: $(in_pod nethost/hostnet c cat /etc/resolv.conf)"

g=$(manifest dns <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: dns
  namespace: nethost
spec:
  terminationGracePeriodSeconds: 2
  dnsPolicy: "None"
  dnsConfig:
    nameservers: [192.0.2.53, 192.0.2.54]
    searches: [a.example, b.example]
    options:
      - name: ndots
        value: "2"
      - name: edns0
  containers:
    - name: c
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
)
"$PODLET" play "$g" || fail "play dns failed"
expected=$'nameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch a.example b.example\noptions ndots:2 edns0'
got=$(in_pod nethost/dns c cat /etc/resolv.conf)
[ "$got" = "$expected" ] || fail "resolv.conf of dnsPolicy None: '$got'"
[ "$(in_pod nethost/dns c hostname)" = dns ] || fail "the bridge pod's hostname is not its name"
[ "$(in_pod nethost/dns c cat /etc/hostname)" = dns ] || fail "the bridge pod's /etc/hostname is not its name"

h=$(manifest bridge-dns <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: bridge-dns
  namespace: nethost
spec:
  terminationGracePeriodSeconds: 2
  containers:
    - name: c
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
)
"$PODLET" play "$h" || fail "play bridge-dns failed"
resolv=$(in_pod nethost/bridge-dns c cat /etc/resolv.conf)
! grep -qE '^nameserver[[:space:]]+(127\.|::1$)' <<<"$resolv" || fail "a loopback nameserver on the bridge: $resolv"
for ns in $(awk '$1 == "nameserver" { print $2 }' <<<"$resolv"); do
  cat /etc/resolv.conf /run/systemd/resolve/resolv.conf 2>/dev/null | grep -qE "^nameserver[[:space:]]+$ns([[:space:]]|$)" ||
    fail "nameserver $ns is not the host's: $resolv"
done

"$PODLET" down nethost/hostnet nethost/dns nethost/bridge-dns || fail "down failed"
assert_clean nethost
