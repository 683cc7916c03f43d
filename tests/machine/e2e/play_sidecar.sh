#!/usr/bin/env bash
# Sidecar init containers (restartPolicy: Always) start in order, each before the
# init containers and apps that follow it, and keep running beside the apps; a
# sidecar that dies is restarted. `ps -o json` reports them as running init containers.
. "$(dirname "$0")/lib.sh"
use_namespace sidecar
ensure_busybox

f=$(pod_manifest sidecar sidecars <<YAML
  terminationGracePeriodSeconds: 2
$SHARED_VOLUME
  initContainers:
$(busybox_container log-shipper "echo log-shipper >> /shared/order; $LOOP" "restartPolicy: Always" "$SHARED_MOUNT")
$(busybox_container setup 'sleep 0.5; echo setup >> /shared/order' "$SHARED_MOUNT")
$(busybox_container proxy "echo proxy >> /shared/order; $LOOP" "restartPolicy: Always" "$SHARED_MOUNT")
  containers:
$(busybox_container app "echo app >> /shared/order; $LOOP" "$SHARED_MOUNT")
YAML
)
play_ok "$f"
order=$("$PODLET" exec sidecar/sidecars -c app -- cat /shared/order | tr '\n' ' ')
[ "$order" = "log-shipper setup proxy app " ] || fail "start order: $order"

st=$(pod_json sidecar/sidecars)
[ "$(jq -r .status.phase <<<"$st")" = Running ] || fail "pod not Running: $st"
for s in log-shipper proxy; do
  [ "$(jq -r --arg s "$s" '.status.initContainerStatuses[] | select(.name == $s) | .state | keys[0]' <<<"$st")" = running ] ||
    fail "sidecar $s is not running: $st"
  unit_is "podlet-sidecar_sidecars_$s.service" ActiveState active
  unit_is "podlet-sidecar_sidecars_$s.service" Restart always
done
[ "$(jq -r '.status.initContainerStatuses[] | select(.name == "setup") | .state.terminated.reason' <<<"$st")" = Completed ] ||
  fail "setup is not Completed: $st"

# A sidecar that dies is restarted, and counted.
pid=$(systemctl show -P MainPID podlet-sidecar_sidecars_proxy.service)
kill -KILL "$pid"
restarted() {
  [ "$(jq -r '.status.initContainerStatuses[] | select(.name == "proxy") | .restartCount' <<<"$(pod_json sidecar/sidecars)")" -ge 1 ] &&
    [ "$(systemctl show -P ActiveState podlet-sidecar_sidecars_proxy.service)" = active ]
}
wait_until 20 restarted || fail "the killed sidecar was not restarted: $(pod_json sidecar/sidecars)"
unit_is podlet-sidecar_sidecars_app.service ActiveState active # the app did not die with the sidecar

down_clean sidecar/sidecars
