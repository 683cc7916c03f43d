#!/usr/bin/env bash
# Lifecycle hooks as the kubelet runs them, from the container's own unit (no resident
# process): postStart (exec) runs before the container counts as started and a failed
# one kills the container; preStop (exec, httpGet, sleep) runs before the stop signal
# on down and on a liveness kill, and shares the one grace period with it.
. "$(dirname "$0")/lib.sh"
use_namespace hooks
ensure_busybox

container_field() { pod_json "$1" | jq -r --arg c "$2" ".status.containerStatuses[] | select(.name == \$c) | $3"; }
data=$E2E_WORK/data
mkdir -p "$data"
DATA_VOLUME="  volumes:
    - {name: data, hostPath: {path: $data, type: Directory}}"
DATA_MOUNT='volumeMounts: [{name: data, mountPath: /data}]'

# ---- postStart (exec) before the container is started; preStop (exec) before SIGTERM
f=$(pod_manifest hooks web <<YAML
  terminationGracePeriodSeconds: 5
$DATA_VOLUME
  containers:
$(busybox_container app 'trap "cat /data/prestop > /data/term-saw; echo got-term; exit 0" TERM; while :; do sleep 0.2; done' \
  "$DATA_MOUNT" \
  'lifecycle: {postStart: {exec: {command: [sh, -c, "sleep 1; echo post > /data/poststart; echo post-said"]}}, preStop: {exec: {command: [sh, -c, "echo pre > /data/prestop; echo draining-now"]}}}')
YAML
)
play_ok "$f"
# play returns once the unit is started, which is after postStart.
[ "$(cat "$data/poststart" 2>/dev/null)" = post ] || fail "play returned before postStart ran"
[ "$(container_field hooks/web app '.state | keys[0]')" = running ] || fail "not running: $(pod_json hooks/web)"
down_clean hooks/web
[ "$(cat "$data/term-saw" 2>/dev/null)" = pre ] ||
  fail "the container's SIGTERM handler did not see preStop's file: preStop did not run before SIGTERM"
# The hooks' output is the container's log, preStop's before the SIGTERM handler's.
log=$(journalctl -q -o cat PODLET_POD=hooks/web PODLET_CONTAINER=app)
printf '%s\n' "$log" | grep -qx post-said || fail "postStart's output is not in the container's journal: $log"
order=$(printf '%s\n' "$log" | grep -xE 'draining-now|got-term' | tr '\n' ' ')
[ "$order" = "draining-now got-term " ] || fail "preStop's output is not in the journal before SIGTERM's: $log"

# ---- preStop (sleep) and the stop signal share one grace period; a container that
# exited by itself gets no preStop
f=$(pod_manifest hooks grace <<YAML
  terminationGracePeriodSeconds: 6
  containers:
$(busybox_container app 'trap "" TERM; while :; do sleep 0.2; done' \
  'lifecycle: {preStop: {sleep: {seconds: 5}}}')
YAML
)
play_ok "$f"
start=$SECONDS
"$PODLET" down hooks/grace || fail "down failed"
took=$((SECONDS - start))
# Kubernetes: max(grace, preStop + 2 s) = 7 s; preStop and a grace of its own would be 11 s.
[ $took -ge 5 ] || fail "down took ${took}s: the 5 s preStop sleep did not run"
[ $took -le 9 ] || fail "down took ${took}s: preStop did not count against the grace period"
assert_clean hooks
journalctl -q -o cat PODLET_POD=hooks/grace | grep -q "grace period of 6s over, killing it" ||
  fail "no SIGKILL after the grace period in the journal"

# ---- preStop (httpGet by port name, any answer) to the pod's IP on a liveness kill
f=$(pod_manifest hooks live <<YAML
  terminationGracePeriodSeconds: 3
  containers:
$(busybox_container app 'mkdir -p /www; touch /tmp/healthy; (sleep 2; rm /tmp/healthy) & exec httpd -f -vv -p 8080 -h /www' \
  'ports: [{name: http, containerPort: 8080}]' \
  'livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 1}' \
  'lifecycle: {preStop: {httpGet: {path: /drain, port: http}}}')
YAML
)
play_ok "$f"
restarted() { [ "$(restart_count hooks/live app)" -ge 1 ]; }
wait_until 30 restarted || fail "liveness failure did not restart the container: $(pod_json hooks/live)"
journalctl -q -o cat PODLET_POD=hooks/live PODLET_CONTAINER=app | grep -q "url:/drain" ||
  fail "preStop's GET /drain did not reach the container before the kill: $(journalctl -q -o cat PODLET_POD=hooks/live | tail -20)"
journalctl -q -o cat PODLET_POD=hooks/live | grep -q "PreStop hook .* failed" &&
  fail "a 404 answer failed the hook: $(journalctl -q -o cat PODLET_POD=hooks/live | grep PreStop)"
down_clean hooks/live

# ---- a failed postStart kills the container (restartPolicy Never: it stays terminated)
f=$(pod_manifest hooks badpost <<YAML
  terminationGracePeriodSeconds: 2
  restartPolicy: Never
  containers:
$(busybox_container app "$LOOP" 'lifecycle: {postStart: {exec: {command: [sh, -c, "echo nope; exit 3"]}}}')
YAML
)
"$PODLET" play "$f" >"$E2E_WORK/badpost.out" 2>&1 || true
is_terminated() { [ "$(container_field hooks/badpost app '.state | keys[0]')" = terminated ]; }
wait_until 15 is_terminated || fail "the container of a failed postStart still runs: $(pod_json hooks/badpost)"
journalctl -q -o cat PODLET_POD=hooks/badpost | grep -q "PostStart hook of container app failed: command \"sh -c echo nope; exit 3\" exited with 3: nope" ||
  fail "the hook's failure is not in the journal: $(journalctl -q -o cat PODLET_POD=hooks/badpost | tail)"
down_clean hooks/badpost

# ---- restartPolicy Always: the pod is played, and the container restarts after each failed postStart
f=$(pod_manifest hooks loop <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container app "$LOOP" 'lifecycle: {postStart: {exec: {command: [sh, -c, "exit 1"]}}}')
YAML
)
play_ok "$f"
restarted() { [ "$(restart_count hooks/loop app)" -ge 1 ]; }
wait_until 15 restarted || fail "the container of a failed postStart is not restarted: $(pod_json hooks/loop)"
down_clean hooks/loop
