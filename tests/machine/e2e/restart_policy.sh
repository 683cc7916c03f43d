#!/usr/bin/env bash
# A container that exits non-zero is restarted per restartPolicy and its restarts
# are counted in `podlet ps`; with restartPolicy Never, `play --wait` returns the
# pod's exit status and removes the pod.
. "$(dirname "$0")/lib.sh"
use_namespace restart
ensure_busybox

f=$(pod_manifest restart crashy <<YAML
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container steady "$LOOP")
$(busybox_container crash 'echo crashing; sleep 0.3; exit 3')
YAML
)
play_ok "$f"
crash_restarted() { [ "$(restart_count restart/crashy crash)" -ge 2 ]; }
wait_until 30 crash_restarted ||
  fail "restarts not counted: $(pod_json restart/crashy)"
[ "$(restart_count restart/crashy steady)" = 0 ] || fail "steady container restarted"
"$PODLET" ps | grep -E '^restart +crashy' || fail "ps table lacks the pod"
[ "$(systemctl show -P NRestarts podlet-restart_crashy_crash.service)" -ge 2 ] || fail "NRestarts"
down_clean restart/crashy

f=$(pod_manifest restart once <<YAML
  restartPolicy: Never
  containers:
$(busybox_container job 'echo job ran; exit 7')
YAML
)
rc=0
"$PODLET" play --wait "$f" || rc=$?
[ $rc = 7 ] || fail "play --wait returned $rc, not the pod's exit status 7"
assert_clean restart
# journald stores a stream's lines asynchronously: give it a moment.
job_logged() { "$PODLET" logs restart/once | grep -q "job ran"; }
wait_until 10 job_logged || fail "the job's output is not in the journal"
