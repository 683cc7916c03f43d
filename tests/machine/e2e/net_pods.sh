#!/usr/bin/env bash
# Pods on podlet's bridge: the machine (host side) pings and connects to a pod IP;
# pods reach each other by IP and by name and reach the bridge's gateway; every
# pod's /etc/hosts lists the other running pods, kept current as pods come and go
# (a new pod's own file lists those already running), plus its hostAliases.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_common.bash"
use_namespace netpods
ensure_busybox
build_netpeer

play_pod() {
  local name=$1 f
  f=$(manifest "$name" <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $name
  namespace: netpods
spec:
  terminationGracePeriodSeconds: 2
  hostAliases:
    - ip: 192.0.2.10
      hostnames: [alias-of-$name, other-alias]
  containers:
$(netpeer_container srv tcp 9000 "$name" NET_RAW)
$(netpeer_volume)
YAML
  )
  "$PODLET" play "$f" || fail "play $name failed"
}

hosts_of() { in_pod "netpods/$1" srv cat /etc/hosts; }
# lists NAME IP POD: /etc/hosts of POD has a line "IP ... NAME ..."
lists() { hosts_of "$3" | awk -v n="$1" -v ip="$2" '$1 == ip { for (i = 2; i <= NF; i++) if ($i == n) f = 1 } END { exit !f }'; }

play_pod alpha
ip_a=$(pod_ip netpods/alpha)
[[ $ip_a =~ ^10\.90\.[0-9]+\.[0-9]+$ ]] || fail "alpha has no address on 10.90.0.0/16: '$ip_a'"

# From the machine: ICMP and TCP to the pod IP.
wait_until 20 tcp_ask "$ip_a" 9000 || fail "TCP from the machine to $ip_a:9000"
[ "$(tcp_ask "$ip_a" 9000)" = "alpha peer=$NET_GATEWAY" ] ||
  fail "unexpected answer from alpha: $(tcp_ask "$ip_a" 9000)"
busybox ping -c 1 -W 5 "$ip_a" >/dev/null || fail "ping from the machine to $ip_a"

play_pod beta
ip_b=$(pod_ip netpods/beta)
[ -n "$ip_b" ] && [ "$ip_b" != "$ip_a" ] || fail "beta's address '$ip_b' (alpha has $ip_a)"
wait_until 20 tcp_ask "$ip_b" 9000 || fail "TCP from the machine to beta"

# /etc/hosts: own entry, hostAliases, the other pod (alpha's file was rewritten in
# place when beta came; beta's own file lists alpha, which was there before it).
hosts_b=$(hosts_of beta)
grep -qE "^127\.0\.0\.1[[:space:]]+localhost" <<<"$hosts_b" || fail "no localhost in beta's /etc/hosts: $hosts_b"
lists beta "$ip_b" beta >/dev/null || fail "beta's own entry missing: $hosts_b"
grep -qE "^192\.0\.2\.10[[:space:]]+alias-of-beta[[:space:]]+other-alias" <<<"$hosts_b" ||
  fail "hostAliases missing in beta's /etc/hosts: $hosts_b"
lists alpha "$ip_a" beta >/dev/null || fail "beta's /etc/hosts does not list alpha (already running): $hosts_b"
lists alpha.netpods "$ip_a" beta >/dev/null || fail "beta's /etc/hosts lacks alpha.netpods: $hosts_b"
wait_until 10 lists beta "$ip_b" alpha || fail "alpha's /etc/hosts does not list beta: $(hosts_of alpha)"

# Pod to pod, by IP and by name; pod to the gateway.
[ "$(in_pod netpods/alpha srv nc "$ip_b" 9000 </dev/null)" = "beta peer=$ip_a" ] ||
  fail "alpha -> beta by IP: $(in_pod netpods/alpha srv nc "$ip_b" 9000 </dev/null 2>&1)"
[ "$(in_pod netpods/beta srv nc alpha 9000 </dev/null)" = "alpha peer=$ip_b" ] ||
  fail "beta -> alpha by name: $(in_pod netpods/beta srv nc alpha 9000 </dev/null 2>&1)"
in_pod netpods/alpha srv ping -c 1 -W 5 beta >/dev/null || fail "alpha cannot ping beta by name"
in_pod netpods/beta srv ping -c 1 -W 5 "$NET_GATEWAY" >/dev/null || fail "beta cannot ping the gateway"
# The default route goes through the gateway.
in_pod netpods/beta srv ip route | grep -q "^default via $NET_GATEWAY dev eth0" ||
  fail "beta's routes: $(in_pod netpods/beta srv ip route)"

# A third pod comes and goes: the others' files follow.
play_pod gamma
ip_c=$(pod_ip netpods/gamma)
wait_until 10 lists gamma "$ip_c" alpha || fail "alpha's /etc/hosts does not list gamma: $(hosts_of alpha)"
wait_until 10 lists gamma "$ip_c" beta || fail "beta's /etc/hosts does not list gamma"
lists alpha "$ip_a" gamma >/dev/null && lists beta "$ip_b" gamma >/dev/null ||
  fail "gamma's own /etc/hosts misses running pods: $(hosts_of gamma)"
"$PODLET" down netpods/gamma || fail "down gamma"
gone() { ! hosts_of "$1" | grep -qw gamma; }
wait_until 10 gone alpha || fail "alpha's /etc/hosts still lists gamma: $(hosts_of alpha)"
wait_until 10 gone beta || fail "beta's /etc/hosts still lists gamma"
# The bind-mounted file was rewritten in place: still the same file the pod sees.
[ "$(in_pod netpods/alpha srv nc beta 9000 </dev/null)" = "beta peer=$ip_a" ] || fail "alpha -> beta after gamma left"

"$PODLET" down netpods/alpha netpods/beta || fail "down failed"
assert_clean netpods
