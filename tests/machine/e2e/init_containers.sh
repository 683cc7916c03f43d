#!/usr/bin/env bash
# An init container runs to completion before the app starts; a failing one fails
# the play cleanly, naming the container and showing its output, and leaves nothing.
. "$(dirname "$0")/lib.sh"
use_namespace initc
ensure_busybox

f=$(manifest ordered <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: ordered
  namespace: initc
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - name: shared
      emptyDir: {}
  initContainers:
    - name: first
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "sleep 1; echo first > /shared/order"]
      volumeMounts: [{name: shared, mountPath: /shared}]
    - name: second
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo second >> /shared/order"]
      volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo order: $(cat /shared/order); trap 'exit 0' TERM; while :; do sleep 1; done"]
      volumeMounts: [{name: shared, mountPath: /shared}]
YAML
)
"$PODLET" play "$f" || fail "play failed"
ordered() { "$PODLET" logs -c app initc/ordered | grep -qx 'order: first second'; }
wait_until 10 ordered ||
  fail "app did not see both init containers' work in order: $("$PODLET" logs initc/ordered 2>&1)"
st=$(pod_json initc/ordered)
[ "$(jq -r '.status.initContainerStatuses[0].state.terminated.reason' <<<"$st")" = Completed ] ||
  fail "first init container not Completed: $st"
"$PODLET" down initc/ordered || fail "down failed"
assert_clean initc

f=$(manifest broken <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: broken
  namespace: initc
spec:
  initContainers:
    - name: migrate
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo migration exploded >&2; exit 4"]
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo app must not run"]
YAML
)
rc=0
err=$("$PODLET" play "$f" 2>&1) || rc=$?
[ $rc != 0 ] || fail "play of a pod whose init container fails succeeded"
grep -q "init container migrate\|container migrate" <<<"$err" || fail "error does not name the container: $err"
grep -q "migration exploded" <<<"$err" || fail "error lacks the container's output: $err"
assert_clean initc
if journalctl -q --no-pager PODLET_POD=initc/broken PODLET_CONTAINER=app | grep -q "app must not run"; then
  fail "the app container ran although its init container failed"
fi
