#!/usr/bin/env bash
# restartPolicy Never containers whose command exits at once (`exit 0`, `exit 3`):
# the workload may exit before systemd has processed the entrypoint's READY=1,
# which made the start job fail and play roll the pod back instead of reporting
# the container's exit status (rare: it needs many plays to show). Each round
# plays both pods and checks that play succeeds and ps/inspect report exit 0
# (Completed) and 3 (Error); every other round uses `play --wait`, which must
# return 3 and remove both pods.
. "$(dirname "$0")/lib.sh"
use_namespace fastexit
ensure_busybox

# never_pod NAME SCRIPT: a restartPolicy Never pod whose container "job" runs SCRIPT.
never_pod() {
  pod_manifest fastexit "$1" <<YAML
  restartPolicy: Never
  containers:
$(busybox_container job "$2")
YAML
}
f=$( {
  cat "$(never_pod ok 'exit 0')"
  echo ---
  cat "$(never_pod bad 'exit 3')"
} | manifest fast)

# A program that does not exist ends the workload before systemd can have its
# READY=1, every time: the same path, made deterministic. The pod is not
# restarted, so this is a run to completion with status 127 (as Kubernetes
# reports a container that cannot start), not a failed play.
f_missing=$(pod_manifest fastexit missing <<'YAML'
  restartPolicy: Never
  containers:
    - name: job
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/no/such/program"]
YAML
)

# The job container's exit code in `ps -o json`, once the pod finished.
ps_exit_code() {
  pod_json "fastexit/$1" |
    jq -er '.status.containerStatuses[] | select(.name == "job") | .state.terminated.exitCode'
}
finished() { ps_exit_code "$1" >/dev/null; }

err=$("$PODLET" play "$f_missing" 2>&1) || fail "play of a Never pod without its program failed: $err"
wait_until 20 finished missing || fail "pod missing did not finish: $(pod_json fastexit/missing)"
[ "$(ps_exit_code missing)" = 127 ] || fail "missing: $(pod_json fastexit/missing)"
[ "$(pod_phase fastexit/missing)" = Failed ] || fail "missing is not Failed: $(pod_json fastexit/missing)"
"$PODLET" down fastexit/missing >/dev/null || fail "down of missing failed"
rc=0
"$PODLET" play --wait "$f_missing" >/dev/null 2>&1 || rc=$?
[ $rc = 127 ] || fail "play --wait of a pod without its program returned $rc, not 127"
assert_clean fastexit

rounds=${FAST_EXIT_ROUNDS:-30}
for i in $(seq 1 "$rounds"); do
  if [ $((i % 2)) = 0 ]; then
    rc=0
    err=$("$PODLET" play --wait "$f" 2>&1) || rc=$?
    [ $rc = 3 ] || fail "round $i: play --wait returned $rc, not 3: $err"
    assert_clean fastexit
    continue
  fi
  err=$("$PODLET" play "$f" 2>&1) || fail "round $i: play failed: $err"
  for pod in ok bad; do
    wait_until 20 finished $pod || fail "round $i: pod $pod did not finish: $(pod_json fastexit/$pod)"
  done
  [ "$(ps_exit_code ok)" = 0 ] || fail "round $i: ok: $(pod_json fastexit/ok)"
  [ "$(ps_exit_code bad)" = 3 ] || fail "round $i: bad: $(pod_json fastexit/bad)"
  [ "$(pod_phase fastexit/ok)" = Succeeded ] || fail "round $i: ok is not Succeeded: $(pod_json fastexit/ok)"
  [ "$(pod_phase fastexit/bad)" = Failed ] || fail "round $i: bad is not Failed: $(pod_json fastexit/bad)"
  got=$("$PODLET" inspect fastexit/bad | jq -r '.[0].pod.status.containerStatuses[0].state.terminated |
    .reason + "/" + (.exitCode | tostring)')
  [ "$got" = Error/3 ] || fail "round $i: inspect reports $got for bad"
  "$PODLET" down fastexit/ok fastexit/bad || fail "round $i: down failed"
  assert_clean fastexit
done
