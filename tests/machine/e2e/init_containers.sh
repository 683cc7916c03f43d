#!/usr/bin/env bash
# An init container runs to completion before the app starts; a failing one fails
# the play cleanly, naming the container and showing its output, and leaves nothing.
. "$(dirname "$0")/lib.sh"
use_namespace initc
ensure_busybox

f=$(pod_manifest initc ordered <<YAML
  terminationGracePeriodSeconds: 2
$SHARED_VOLUME
  initContainers:
$(busybox_container first 'sleep 1; echo first > /shared/order' "$SHARED_MOUNT")
$(busybox_container second 'echo second >> /shared/order' "$SHARED_MOUNT")
  containers:
$(busybox_container app "echo order: \$(cat /shared/order); $LOOP" "$SHARED_MOUNT")
YAML
)
play_ok "$f"
ordered() { "$PODLET" logs -c app initc/ordered | grep -qx 'order: first second'; }
wait_until 10 ordered ||
  fail "app did not see both init containers' work in order: $("$PODLET" logs initc/ordered 2>&1)"
st=$(pod_json initc/ordered)
[ "$(jq -r '.status.initContainerStatuses[0].state.terminated.reason' <<<"$st")" = Completed ] ||
  fail "first init container not Completed: $st"
down_clean initc/ordered

f=$(pod_manifest initc broken <<YAML
  initContainers:
$(busybox_container migrate 'echo migration exploded >&2; exit 4')
  containers:
$(busybox_container app 'echo app must not run')
YAML
)
err=$(play_refused "$f")
grep -q "init container migrate\|container migrate" <<<"$err" || fail "error does not name the container: $err"
grep -q "migration exploded" <<<"$err" || fail "error lacks the container's output: $err"
assert_clean initc
if journalctl -q --no-pager PODLET_POD=initc/broken PODLET_CONTAINER=app | grep -q "app must not run"; then
  fail "the app container ran although its init container failed"
fi
