#!/usr/bin/env bash
# A container that exits non-zero is restarted per restartPolicy and its restarts
# are counted in `podlet ps`; with restartPolicy Never, `play --wait` returns the
# pod's exit status and removes the pod.
. "$(dirname "$0")/lib.sh"
use_namespace restart
ensure_busybox

f=$(manifest crashy <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: crashy
  namespace: restart
spec:
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 2
  containers:
    - name: steady
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    - name: crash
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo crashing; sleep 0.3; exit 3"]
YAML
)
"$PODLET" play "$f" || fail "play failed"
crash_restarted() { [ "$(restart_count restart/crashy crash)" -ge 2 ]; }
wait_until 30 crash_restarted ||
  fail "restarts not counted: $(pod_json restart/crashy)"
[ "$(restart_count restart/crashy steady)" = 0 ] || fail "steady container restarted"
"$PODLET" ps | grep -E '^restart +crashy' || fail "ps table lacks the pod"
[ "$(systemctl show -P NRestarts podlet-restart_crashy_crash.service)" -ge 2 ] || fail "NRestarts"
"$PODLET" down restart/crashy || fail "down failed"
assert_clean restart

f=$(manifest once <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: once
  namespace: restart
spec:
  restartPolicy: Never
  containers:
    - name: job
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo job ran; exit 7"]
YAML
)
rc=0
"$PODLET" play --wait "$f" || rc=$?
[ $rc = 7 ] || fail "play --wait returned $rc, not the pod's exit status 7"
assert_clean restart
# journald stores a stream's lines asynchronously: give it a moment.
job_logged() { "$PODLET" logs restart/once | grep -q "job ran"; }
wait_until 10 job_logged || fail "the job's output is not in the journal"
