#!/usr/bin/env bash
# Sidecar init containers (restartPolicy: Always) start in order, each before the
# init containers and apps that follow it, and keep running beside the apps; a
# sidecar that dies is restarted. `ps -o json` reports them as running init containers.
. "$(dirname "$0")/lib.sh"
use_namespace sidecar
ensure_busybox

f=$(manifest sidecars <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: sidecars
  namespace: sidecar
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - name: shared
      emptyDir: {}
  initContainers:
    - name: log-shipper
      image: localhost/busybox:latest
      imagePullPolicy: Never
      restartPolicy: Always
      command: ["/bin/sh", "-c", "echo log-shipper >> /shared/order; trap 'exit 0' TERM; while :; do sleep 1; done"]
      volumeMounts: [{name: shared, mountPath: /shared}]
    - name: setup
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "sleep 0.5; echo setup >> /shared/order"]
      volumeMounts: [{name: shared, mountPath: /shared}]
    - name: proxy
      image: localhost/busybox:latest
      imagePullPolicy: Never
      restartPolicy: Always
      command: ["/bin/sh", "-c", "echo proxy >> /shared/order; trap 'exit 0' TERM; while :; do sleep 1; done"]
      volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo app >> /shared/order; trap 'exit 0' TERM; while :; do sleep 1; done"]
      volumeMounts: [{name: shared, mountPath: /shared}]
YAML
)
"$PODLET" play "$f" || fail "play failed"
order=$("$PODLET" exec sidecar/sidecars -c app -- cat /shared/order | tr '\n' ' ')
[ "$order" = "log-shipper setup proxy app " ] || fail "start order: $order"

st=$(pod_json sidecar/sidecars)
[ "$(jq -r .status.phase <<<"$st")" = Running ] || fail "pod not Running: $st"
for s in log-shipper proxy; do
  [ "$(jq -r --arg s "$s" '.status.initContainerStatuses[] | select(.name == $s) | .state | keys[0]' <<<"$st")" = running ] ||
    fail "sidecar $s is not running: $st"
  [ "$(systemctl show -P ActiveState "podlet-sidecar_sidecars_$s.service")" = active ] || fail "$s unit not active"
  [ "$(systemctl show -P Restart "podlet-sidecar_sidecars_$s.service")" = always ] || fail "$s is not Restart=always"
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
[ "$(systemctl show -P ActiveState podlet-sidecar_sidecars_app.service)" = active ] || fail "the app died with the sidecar"

"$PODLET" down sidecar/sidecars || fail "down failed"
assert_clean sidecar
