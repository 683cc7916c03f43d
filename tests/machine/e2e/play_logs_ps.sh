#!/usr/bin/env bash
# `podlet logs` (sd-journal): --tail N, --since, -f following new output until the
# pod is gone; `podlet ps` (table and -o json: state, restarts, IP, age) and
# `podlet inspect` (plan, unit names, live state) of a running pod.
. "$(dirname "$0")/lib.sh"
use_namespace logsps
ensure_busybox

f=$(manifest chatty <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: chatty
  namespace: logsps
  labels: {app: chatty}
spec:
  terminationGracePeriodSeconds: 2
  containers:
    - name: counter
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command:
        - /bin/sh
        - -c
        - |
          for i in 1 2 3 4 5; do echo "line $i"; done
          trap 'exit 0' TERM
          while [ ! -e /tmp/go ]; do sleep 0.2; done
          echo "after go"
          while :; do sleep 1; done
    - name: quiet
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
)
play_ok "$f"
five() { [ "$("$PODLET" logs -c counter logsps/chatty | wc -l)" = 5 ]; }
wait_until 10 five || fail "logs: $("$PODLET" logs -c counter logsps/chatty)"

# --tail N: the last N lines.
[ "$("$PODLET" logs -c counter --tail 2 logsps/chatty | tr '\n' ' ')" = "line 4 line 5 " ] ||
  fail "--tail 2: $("$PODLET" logs -c counter --tail 2 logsps/chatty)"
[ -z "$("$PODLET" logs -c counter --tail 0 logsps/chatty)" ] || fail "--tail 0 printed lines"
# -n NS NAME addresses the same pod.
[ "$("$PODLET" logs -n logsps -c counter --tail 1 chatty)" = "line 5" ] || fail "logs -n logsps chatty"

# --since: a duration and an RFC 3339 time.
[ "$("$PODLET" logs -c counter --since 1h logsps/chatty | wc -l)" = 5 ] || fail "--since 1h lost lines"
sleep 2
[ -z "$("$PODLET" logs -c counter --since 1s logsps/chatty)" ] || fail "--since 1s shows old lines"
future=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
past=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
[ -z "$("$PODLET" logs -c counter --since "$future" logsps/chatty)" ] || fail "--since a future time shows lines"
[ "$("$PODLET" logs -c counter --since "$past" logsps/chatty | wc -l)" = 5 ] || fail "--since $past lost lines"
rc=0
"$PODLET" logs --since yesterday logsps/chatty 2>/dev/null || rc=$?
[ $rc = 1 ] || fail "--since yesterday was accepted ($rc)"

# -f: the old lines, then new ones as they come, until the pod is gone.
out=$E2E_WORK/follow.out
"$PODLET" logs -f -c counter logsps/chatty >"$out" &
follower=$!
wait_until 10 grep -q "line 5" "$out" || fail "logs -f did not print the old lines"
"$PODLET" exec logsps/chatty -c counter -- touch /tmp/go
wait_until 10 grep -q "after go" "$out" || fail "logs -f did not print a new line: $(cat "$out")"
kill -0 "$follower" || fail "logs -f exited while the pod runs"

# ps: table and JSON.
table=$("$PODLET" ps -n logsps)
grep -Eq '^logsps +chatty +2/2 +Running +0 +10\.[0-9.]+ +[0-9]+[smhd]$' <<<"$table" || fail "ps table: $table"
grep -Eq '^  counter +Running +restarts 0$' <<<"$table" || fail "ps container line: $table"
st=$(pod_json logsps/chatty)
jq -e '.apiVersion == "v1" and .kind == "Pod" and .metadata.labels.app == "chatty" and (.metadata.uid | length > 0)' \
  <<<"$st" >/dev/null || fail "ps -o json metadata: $st"
jq -e '.status.phase == "Running" and (.status.podIP | test("^10\\.")) and .status.podIPs[0].ip == .status.podIP' \
  <<<"$st" >/dev/null || fail "ps -o json phase/IP: $st"
jq -e '(.status.startTime | fromdateiso8601) <= now and (.status.startTime | fromdateiso8601) > now - 600' \
  <<<"$st" >/dev/null || fail "ps -o json startTime (age): $st"
jq -e '[.status.containerStatuses[] | .ready and .started and .restartCount == 0 and (.state.running.startedAt | length > 0) and .image == "localhost/busybox:latest"] == [true, true]' \
  <<<"$st" >/dev/null || fail "ps -o json containerStatuses: $st"
# ps -n of another namespace does not list it.
! "$PODLET" ps -n elsewhere | grep -q chatty || fail "ps -n elsewhere lists logsps/chatty"

# inspect: the pod status, every unit's live state, the plan.
in=$("$PODLET" inspect logsps/chatty)
jq -e '.[0].pod.status.phase == "Running"' <<<"$in" >/dev/null || fail "inspect pod: $in"
jq -e '.[0].units["podlet-logsps_chatty.slice"].active_state == "active"' <<<"$in" >/dev/null || fail "inspect slice: $in"
jq -e '.[0].units["podlet-logsps_chatty_counter.service"] | .active_state == "active" and .sub_state == "running" and .main_pid > 0' \
  <<<"$in" >/dev/null || fail "inspect container unit: $in"
jq -e '.[0].plan.name == "chatty" and .[0].plan.namespace == "logsps" and (.[0].plan.containers | map(.name)) == ["counter", "quiet"]' \
  <<<"$in" >/dev/null || fail "inspect plan: $in"
[ "$(jq -r '.[0].units["podlet-logsps_chatty_counter.service"].main_pid' <<<"$in")" = \
  "$(systemctl show -P MainPID podlet-logsps_chatty_counter.service)" ] || fail "inspect main_pid differs from systemd's"
rc=0
"$PODLET" inspect logsps/nothere 2>/dev/null || rc=$?
[ $rc = 1 ] || fail "inspect of a missing pod returned $rc"

"$PODLET" down logsps/chatty || fail "down failed"
# The follower ends once the pod is gone.
wait_until 10 bash -c "! kill -0 $follower" || fail "logs -f still runs after down"
wait "$follower" || true
# The journal keeps the output after the pod is gone.
# (Not `logs | grep -q`: grep exiting early would kill logs with SIGPIPE.)
grep -qx "after go" <<<"$("$PODLET" logs -c counter logsps/chatty)" || fail "logs after down"
assert_clean logsps
