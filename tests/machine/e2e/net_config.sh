#!/usr/bin/env bash
# The pod network is configurable in <root>/network.json: bridge name, subnet,
# gateway and MTU reach the pod (address, route, eth0's MTU); the default bridge
# is not touched, and the configured one goes with its last pod.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_common.bash"
use_namespace netconf
ensure_busybox
build_netpeer

config="$PODLET_ROOT/network.json"
[ ! -e "$config" ] || fail "$config exists before the test"
cat >"$config" <<'JSON'
{ "bridge": "pe2e-br", "subnet": "10.123.4.0/24", "gateway": "10.123.4.254", "mtu": 1400 }
JSON
on_exit 'rm -f "$config"'

f=$(manifest cfg <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: cfg
  namespace: netconf
spec:
  terminationGracePeriodSeconds: 2
  containers:
$(netpeer_container srv tcp 9000 cfg)
$(netpeer_volume)
YAML
)
play_ok "$f"
ip=$(pod_ip netconf/cfg)
[[ $ip =~ ^10\.123\.4\.[0-9]+$ ]] && [ "$ip" != 10.123.4.254 ] || fail "pod IP '$ip' is not from 10.123.4.0/24"
ip -o addr show dev pe2e-br | grep -q "inet 10.123.4.254/24" || fail "bridge pe2e-br lacks the gateway: $(ip -o addr show dev pe2e-br)"
ip link show podlet0 >/dev/null 2>&1 && fail "the default bridge podlet0 was created"
[ "$(in_pod netconf/cfg srv cat /sys/class/net/eth0/mtu)" = 1400 ] || fail "eth0 MTU: $(in_pod netconf/cfg srv ip link)"
in_pod netconf/cfg srv ip route | grep -q "^default via 10.123.4.254 dev eth0" ||
  fail "routes: $(in_pod netconf/cfg srv ip route)"
wait_until 20 tcp_ask "$ip" 9000 || fail "TCP from the machine to $ip"
[ "$(tcp_ask "$ip" 9000)" = "cfg peer=10.123.4.254" ] || fail "answer: $(tcp_ask "$ip" 9000)"
nft list tables | grep -qw podlet_pe2e_br || fail "no nft table podlet_pe2e_br: $(nft list tables)"

down_clean netconf/cfg
ip link show pe2e-br >/dev/null 2>&1 && fail "bridge pe2e-br left after its last pod"
[ -z "$(podlet_nft_tables)" ] || fail "podlet nft tables left: $(podlet_nft_tables)"
[ -z "$(jq -r '.pods | keys[]' "$PODLET_ROOT/ipam/pe2e-br.json")" ] || fail "allocations left in pe2e-br"
