#!/usr/bin/env bash
# 50 `podlet play` run at the same time: 50 pods, 50 distinct addresses (IPAM under
# its lock), each reachable. After `down` of them all: no veth, no address
# allocation, no podlet nftables table and no bridge (the documented choice: the
# bridge and the table go with the last pod).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_common.bash"
use_namespace netmany
ensure_busybox
build_netpeer
N=50

[ -z "$(host_veths)" ] || fail "veths before the test: $(host_veths)"
for i in $(seq 1 $N); do
  manifest "p$i" >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: p$i
  namespace: netmany
spec:
  terminationGracePeriodSeconds: 1
  containers:
$(netpeer_container srv tcp 9000 "p$i")
$(netpeer_volume)
YAML
done

pids=()
for i in $(seq 1 $N); do
  "$PODLET" play "$E2E_WORK/p$i.yaml" >"$E2E_WORK/p$i.out" 2>&1 &
  pids+=($!)
done
failed=0
for i in $(seq 1 $N); do
  wait "${pids[$((i - 1))]}" || {
    failed=$((failed + 1))
    log "play p$i failed: $(tail -n 5 "$E2E_WORK/p$i.out")"
  }
done
[ $failed = 0 ] || fail "$failed of $N concurrent plays failed"

log "$N plays done after ${SECONDS}s"
pods=$("$PODLET" ps -o json | jq -r '.items[] | select(.metadata.namespace == "netmany") | .metadata.name + " " + .status.podIP')
ips=$(awk '{print $2}' <<<"$pods")
[ "$(grep -c . <<<"$ips")" = $N ] || fail "expected $N pod IPs, got: $ips"
[ "$(sort -u <<<"$ips" | grep -c .)" = $N ] || fail "duplicate pod IPs: $(sort <<<"$ips" | uniq -d)"
[ "$(ipam_pods | grep -c .)" = $N ] || fail "IPAM holds $(ipam_pods | grep -c .) allocations, expected $N"
[ "$(host_veths | grep -c .)" = $N ] || fail "expected $N host veths, found $(host_veths | grep -c .)"
# Each one answers with its own name (no two pods share an address or a veth).
while read -r name ip; do
  wait_until 20 tcp_ask "$ip" 9000 || fail "$name ($ip) does not answer"
  [ "$(tcp_ask "$ip" 9000)" = "$name peer=$NET_GATEWAY" ] || fail "$ip answered as $(tcp_ask "$ip" 9000), expected $name"
done <<<"$pods"
log "all answered after ${SECONDS}s"

pids=()
for i in $(seq 1 $N); do
  "$PODLET" down "netmany/p$i" >"$E2E_WORK/down$i.out" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 $N); do
  wait "${pids[$((i - 1))]}" || fail "down p$i failed: $(cat "$E2E_WORK/down$i.out")"
done
log "$N downs done after ${SECONDS}s"
assert_clean netmany
[ -z "$(host_veths)" ] || fail "veths left after down: $(host_veths)"
[ -z "$(ipam_pods)" ] || fail "IPAM allocations left after down: $(ipam_pods)"
[ -z "$(podlet_nft_tables)" ] || fail "podlet nft tables left after down: $(podlet_nft_tables)"
ip link show "$NET_BRIDGE" >/dev/null 2>&1 && fail "bridge $NET_BRIDGE left after the last pod went"
if [ -f "$NET_HOSTS_REGISTRY" ]; then
  left=$(jq -r '.pods[] | select(.pod_id | startswith("netmany_")) | .pod_id' "$NET_HOSTS_REGISTRY")
  [ -z "$left" ] || fail "/etc/hosts registry still lists: $left"
fi
true
