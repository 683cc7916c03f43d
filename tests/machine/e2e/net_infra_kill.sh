#!/usr/bin/env bash
# Killing a pod's infra process with SIGKILL (not through podlet) still releases
# its network: the infra unit's stop path (ExecStopPost) gives the address back to
# IPAM, deletes the veth and the pod's nft rules and withdraws its /etc/hosts entry.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_common.bash"
use_namespace netkill
ensure_busybox
build_netpeer

f=$(manifest victim <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: victim
  namespace: netkill
spec:
  terminationGracePeriodSeconds: 2
  containers:
$(netpeer_container srv tcp 8080 victim)
      ports:
        - containerPort: 8080
          hostPort: 18081
$(netpeer_volume)
YAML
)
play_ok "$f"
uid=$(pod_json netkill/victim | jq -r .metadata.uid)
ip=$(pod_ip netkill/victim)
[ -n "$ip" ] || fail "no pod IP"
ipam_pods | grep -qxF "$uid" || fail "IPAM does not hold pod $uid: $(cat "$NET_IPAM")"
wait_until 20 tcp_ask 127.0.0.1 18081 || fail "hostPort 18081 does not answer"
[ "$(host_veths | grep -c .)" = 1 ] || fail "expected one veth: $(host_veths)"

pid=$(systemctl show -P MainPID podlet-netkill_victim-infra.service)
[ "${pid:-0}" -gt 0 ] || fail "infra has no main pid"
kill -KILL "$pid"

released() { ! ipam_pods | grep -qxF "$uid"; }
wait_until 30 released || fail "IPAM still holds $ip of the killed pod: $(cat "$NET_IPAM")"
no_veth() { [ -z "$(host_veths)" ]; }
wait_until 10 no_veth || fail "veth left after the infra was killed: $(host_veths)"
tcp_ask 127.0.0.1 18081 >/dev/null 2>&1 && fail "hostPort 18081 still forwarded after the infra was killed"
[ -z "$(podlet_nft_tables)" ] || fail "podlet nft table left: $(nft list ruleset)"
if [ -f "$NET_HOSTS_REGISTRY" ]; then
  ! jq -e --arg id netkill_victim '.pods[] | select(.pod_id == $id)' "$NET_HOSTS_REGISTRY" >/dev/null ||
    fail "/etc/hosts registry still lists the killed pod"
fi

down_clean netkill/victim
