#!/usr/bin/env bash
# A liveness exec probe that hangs counts as failed at its timeoutSeconds (the command is
# killed), and under restartPolicy OnFailure a container that stops
# cleanly on the kill signal is still started again, by podlet (systemd would not restart
# an exit 0 under Restart=on-failure), counted in restartCount with its lastState.
. "$(dirname "$0")/lib.sh"
use_namespace hung
ensure_busybox

container_field() { pod_json "$1" | jq -r --arg c "$2" ".status.containerStatuses[] | select(.name == \$c) | $3"; }

f=$(pod_manifest hung app <<YAML
  terminationGracePeriodSeconds: 2
  restartPolicy: OnFailure
  containers:
$(busybox_container app "$LOOP" \
  'livenessProbe: {exec: {command: [sleep, "30"]}, timeoutSeconds: 1, periodSeconds: 2, failureThreshold: 1}')
YAML
)
play_ok "$f"
restarted() { [ "$(restart_count hung/app app)" -ge 1 ]; }
wait_until 30 restarted || fail "a hung liveness probe did not restart the container: $(pod_json hung/app)"
journalctl -q -o cat PODLET_POD=hung/app PODLET_PROBE=liveness | grep -q 'Liveness probe failed: command "sleep 30" timed out' ||
  fail "the timeout is not in the journal: $(journalctl -q -o cat PODLET_POD=hung/app | tail)"
[ "$(container_field hung/app app .lastState.terminated.reason)" = Completed ] ||
  fail "lastState: $(container_field hung/app app .lastState)"
is_running() { [ "$(container_field hung/app app '.state | keys[0]')" = running ]; }
wait_until 10 is_running || fail "the restarted container is not running: $(pod_json hung/app)"
down_clean hung/app
