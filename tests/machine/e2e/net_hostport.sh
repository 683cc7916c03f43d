#!/usr/bin/env bash
# Outbound masquerade and hostPorts, against an "outside" network namespace the
# test creates inside the machine (veth: machine 192.168.77.1, outside .2):
# - a pod reaches a server outside, which sees the machine's address, not the pod IP;
# - a TCP hostPort answers on the machine's address (from outside and from the
#   machine itself) and on 127.0.0.1 (route_localnet, as Podman does);
# - a UDP hostPort answers on 127.0.0.1 and the machine's address;
# - a second pod asking for the same hostPort fails to play with a clear error and
#   the first keeps serving;
# - removing a pod removes its rules only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/net_common.bash"
use_namespace nethp
ensure_busybox
build_netpeer
make_external

# The outside server (netpeer in the outside namespace).
ip netns exec "$EXT_NS" "$NETPEER" tcp 9100 outside >"$E2E_WORK/outside.log" 2>&1 &
EXT_PIDS+=($!)
wait_until 10 ip netns exec "$EXT_NS" bash -c "exec 3<>/dev/tcp/$EXT_IP/9100" || fail "outside server does not listen"

f=$(manifest web <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: nethp
spec:
  terminationGracePeriodSeconds: 2
  containers:
$(netpeer_container tcp tcp 8080 web-tcp)
      ports:
        - containerPort: 8080
          hostPort: 18080
$(netpeer_container udp udp 5353 web-udp)
      ports:
        - containerPort: 5353
          hostPort: 15353
          protocol: UDP
$(netpeer_volume)
YAML
)
"$PODLET" play "$f" || fail "play web failed"
ip_web=$(pod_ip nethp/web)
[ -n "$ip_web" ] || fail "web has no pod IP"

# Outbound: masqueraded to the machine's address on the outside link.
answer=$(in_pod nethp/web tcp nc "$EXT_IP" 9100 </dev/null) || fail "web cannot reach the outside server"
[ "$answer" = "outside peer=$EXT_HOST_IP" ] || fail "outside server saw '$answer' (pod IP $ip_web): no masquerade?"
grep -q "peer=$ip_web" "$E2E_WORK/outside.log" && fail "the outside server saw the pod IP"

# TCP hostPort: from outside to the machine's address, from the machine to its own
# address and to 127.0.0.1.
wait_until 20 tcp_ask 127.0.0.1 18080 || fail "hostPort 18080 on 127.0.0.1 does not answer"
out=$(ip netns exec "$EXT_NS" bash -c "exec 3<>/dev/tcp/$EXT_HOST_IP/18080 && head -n1 <&3") ||
  fail "hostPort 18080 via the machine's address from outside"
[ "$out" = "web-tcp peer=$EXT_IP" ] || fail "from outside: '$out' (the pod should see the client's address)"
[[ $(tcp_ask "$EXT_HOST_IP" 18080) == "web-tcp peer="* ]] || fail "hostPort via the machine's own address"
[[ $(tcp_ask 127.0.0.1 18080) == "web-tcp peer="* ]] || fail "hostPort via 127.0.0.1"

# UDP hostPort.
wait_until 20 udp_ask 127.0.0.1 15353 || fail "UDP hostPort 15353 on 127.0.0.1 does not answer"
[[ $(udp_ask 127.0.0.1 15353) == "web-udp peer="* ]] || fail "UDP hostPort via 127.0.0.1"
[[ $(udp_ask "$EXT_HOST_IP" 15353) == "web-udp peer="* ]] || fail "UDP hostPort via the machine's address"
out=$(ip netns exec "$EXT_NS" timeout 10 bash -c "exec 3<>/dev/udp/$EXT_HOST_IP/15353 && echo x >&3 && head -n1 <&3") ||
  fail "UDP hostPort from outside"
[ "$out" = "web-udp peer=$EXT_IP" ] || fail "UDP from outside: '$out'"

# The same hostPort again: a clear error at play time, the first pod unharmed.
g=$(manifest clash <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: clash
  namespace: nethp
spec:
  terminationGracePeriodSeconds: 2
  containers:
$(netpeer_container tcp tcp 8080 clash)
      ports:
        - containerPort: 8080
          hostPort: 18080
$(netpeer_volume)
YAML
)
if "$PODLET" play "$g" >"$E2E_WORK/clash.out" 2>&1; then
  fail "a second pod got hostPort 18080 too: $(cat "$E2E_WORK/clash.out")"
fi
grep -q "18080" "$E2E_WORK/clash.out" && grep -q "nethp/web" "$E2E_WORK/clash.out" ||
  fail "the error does not name the port and the pod holding it: $(cat "$E2E_WORK/clash.out")"
log "second play failed as expected: $(grep -m1 18080 "$E2E_WORK/clash.out")"
"$PODLET" down nethp/clash >/dev/null 2>&1 || true
[[ $(tcp_ask 127.0.0.1 18080) == "web-tcp peer="* ]] ||
  fail "web stopped answering on 18080 after the clash"
[ "$(pod_phase nethp/web)" = Running ] || fail "web is not Running after the clash"

# Removing one pod removes its rules only: another pod's hostPort keeps working.
h=$(manifest other <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: other
  namespace: nethp
spec:
  terminationGracePeriodSeconds: 2
  containers:
$(netpeer_container tcp tcp 8080 other)
      ports:
        - containerPort: 8080
          hostPort: 18082
$(netpeer_volume)
YAML
)
"$PODLET" play "$h" || fail "play other failed"
wait_until 20 tcp_ask 127.0.0.1 18082 || fail "hostPort 18082 of the other pod does not answer"
"$PODLET" down nethp/web || fail "down failed"
tcp_ask 127.0.0.1 18080 >/dev/null 2>&1 && fail "hostPort 18080 still answers after web went"
udp_ask 127.0.0.1 15353 >/dev/null 2>&1 && fail "UDP hostPort 15353 still answers after web went"
[[ $(tcp_ask 127.0.0.1 18082) == "other peer="* ]] || fail "the other pod's hostPort stopped with web's removal"
nft list table ip podlet_podlet0 | grep -q "dport 18080" && fail "web's rule is still in the table"

"$PODLET" down nethp/other || fail "down other failed"
assert_clean nethp
tcp_ask 127.0.0.1 18082 >/dev/null 2>&1 && fail "hostPort 18082 still answers after down"
[ -z "$(podlet_nft_tables)" ] || fail "podlet nft tables left: $(podlet_nft_tables)"
