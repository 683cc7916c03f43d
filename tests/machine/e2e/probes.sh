#!/usr/bin/env bash
# Probes as the kubelet runs them, from systemd timers and `podlet internal probe`
# (no resident process): a readiness flip both ways (httpGet), `play --wait` on
# readiness and its --timeout, a liveness restart (exec) counted in restartCount with
# lastState, a slow starter held by its startup probe (tcpSocket), the results in
# `ps`, and the probes' findings in the journal.
. "$(dirname "$0")/lib.sh"
use_namespace probes
ensure_busybox

container_field() { pod_json "$1" | jq -r --arg c "$2" ".status.containerStatuses[] | select(.name == \$c) | $3"; }
is_ready() { [ "$(container_field "$1" "$2" .ready)" = true ]; }
is_not_ready() { [ "$(container_field "$1" "$2" .ready)" = false ]; }
pod_ready_condition() { pod_json "$1" | jq -r '.status.conditions[] | select(.type == "Ready") | .status'; }

# ---- readiness (httpGet by port name), flipping both ways; play --wait waits for it
f=$(pod_manifest probes web <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container web 'mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 8080 -h /www' \
  'ports: [{name: http, containerPort: 8080}]' \
  'readinessProbe: {httpGet: {path: /index.html, port: http, httpHeaders: [{name: X-Probe, value: podlet}]}, periodSeconds: 1, failureThreshold: 1}')
YAML
)
start=$SECONDS
play_ok --wait --timeout 60 "$f"
is_ready probes/web web || fail "play --wait returned before the container was ready: $(pod_json probes/web)"
[ "$(pod_ready_condition probes/web)" = True ] || fail "pod condition Ready is not True"
"$PODLET" ps | grep -E '^probes +web +1/1 +Running' || fail "ps does not show 1/1: $("$PODLET" ps)"
"$PODLET" exec probes/web -- rm /www/index.html
wait_until 15 is_not_ready probes/web web || fail "readiness did not flip to false: $(pod_json probes/web)"
[ "$(pod_ready_condition probes/web)" = False ] || fail "pod condition Ready is not False"
"$PODLET" ps | grep -E '^probes +web +0/1 +Running' || fail "ps does not show 0/1: $("$PODLET" ps)"
probe_logged() { journalctl -q -o cat PODLET_POD=probes/web PODLET_PROBE=readiness | grep -q "Readiness probe failed: HTTP probe failed with statuscode: 404"; }
wait_until 10 probe_logged || fail "the failed probe is not in the journal"
"$PODLET" exec probes/web -- sh -c 'echo up > /www/index.html'
wait_until 15 is_ready probes/web web || fail "readiness did not flip back to true"
# No probe process stays: the probe's service is a oneshot the timer starts.
systemctl list-timers --all --no-legend | grep -q 'podlet-probes_web_web_readiness-probe.timer' ||
  fail "no probe timer: $(systemctl list-timers --all)"
down_clean probes/web

# ---- play --wait --timeout: a pod that never becomes ready
f=$(pod_manifest probes never <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container app "$LOOP" 'readinessProbe: {tcpSocket: {port: 9999}, periodSeconds: 1}')
YAML
)
rc=0
"$PODLET" play --wait --timeout 3 "$f" 2>"$E2E_WORK/never.err" || rc=$?
[ $rc = 124 ] || fail "play --wait --timeout on a never-ready pod returned $rc, not 124"
grep -q "container app is not ready after 3s" "$E2E_WORK/never.err" || fail "no reason: $(cat "$E2E_WORK/never.err")"
down_clean probes/never

# ---- liveness (exec): a container that turns unhealthy is restarted, counted, with lastState
f=$(pod_manifest probes live <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container app 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; '"$LOOP" \
  'livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 2}')
YAML
)
play_ok "$f"
restarted() { [ "$(restart_count probes/live app)" -ge 1 ]; }
wait_until 30 restarted || fail "liveness failure did not restart the container: $(pod_json probes/live)"
[ "$(container_field probes/live app .lastState.terminated.reason)" = Completed ] ||
  fail "lastState: $(container_field probes/live app .lastState)"
journalctl -q -o cat PODLET_POD=probes/live | grep -q "Container app failed liveness probe, will be restarted" ||
  fail "the restart is not in the journal"
is_running() { [ "$(container_field probes/live app '.state | keys[0]')" = running ]; }
wait_until 10 is_running || fail "the restarted container is not running"
down_clean probes/live

# ---- startup (tcpSocket): a slow starter is held; liveness and readiness wait for it
f=$(pod_manifest probes slow <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container app 'sleep 4; mkdir -p /www; exec httpd -f -p 8080 -h /www' \
  'startupProbe: {tcpSocket: {port: 8080}, periodSeconds: 1, failureThreshold: 30}' \
  'livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1, failureThreshold: 1}' \
  'readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}')
YAML
)
play_ok "$f"
sleep 2
[ "$(container_field probes/slow app .started)" = false ] || fail "started before its startup probe succeeded"
is_not_ready probes/slow app || fail "ready before its startup probe succeeded"
is_started() { [ "$(container_field probes/slow app .started)" = true ]; }
wait_until 20 is_started || fail "the startup probe never succeeded: $(pod_json probes/slow)"
wait_until 10 is_ready probes/slow app || fail "not ready after it started"
[ "$(restart_count probes/slow app)" = 0 ] || fail "liveness ran before startup succeeded: restarted"
down_clean probes/slow
