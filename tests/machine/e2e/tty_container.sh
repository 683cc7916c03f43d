#!/usr/bin/env bash
# tty: true gives the workload a pty of the container's own devpts as its controlling
# terminal (80x24); the container entrypoint stays as the terminal's relay, so the
# workload's output reaches `podlet logs` (without \r), a workload that writes far more
# than a pty buffer holds completes with its exit status reported, and `podlet down`
# stops a tty container promptly. `podlet exec -t` gives CMD a pty of the container's
# devpts too and passes its exit status back (util-linux `script` gives podlet a terminal).
. "$(dirname "$0")/lib.sh"
use_namespace ttyns
ensure_busybox

f=$(manifest term <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: term
  namespace: ttyns
spec:
  terminationGracePeriodSeconds: 30
  containers:
    - name: show
      image: localhost/busybox:latest
      imagePullPolicy: Never
      tty: true
      stdin: true
      command: ["/bin/sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo is-a-tty; stty size; echo DONE; trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
)
"$PODLET" play "$f" || fail "play of the tty pod failed"
out=$(container_report ttyns/term show 30)
log "show: $(tr '\n' ' ' <<<"$out")"
grep -qx /dev/pts/0 <<<"$out" || fail "the workload's terminal is not the container's /dev/pts/0: $out"
grep -qx is-a-tty <<<"$out" || fail "stdin/stdout are not a terminal: $out"
grep -qx '24 80' <<<"$out" || fail "the window size is not 24x80: $out"
! grep -q $'\r' <<<"$out" || fail "the log has carriage returns"

# The workload is the unit's main process; the relay is the unit's other process.
unit=podlet-ttyns_term_show.service
main_pid=$(systemctl show -P MainPID "$unit")
[ "${main_pid:-0}" -gt 0 ] || fail "$unit has no main pid"
tr '\0' ' ' <"/proc/$main_pid/cmdline" | grep -q '^/bin/sh -c tty' || fail "the main pid $main_pid is not the workload"
procs=$(systemd-cgls --no-pager -u "$unit" | grep -c 'internal container' || true)
[ "$procs" = 1 ] || fail "no relay (or more than one) in $unit: $(systemd-cgls --no-pager -u "$unit")"

# exec -t: CMD's terminal is a pty of the container's devpts (its /dev/pts), exit status passed on.
ex=$(script -qec "$PODLET exec -t ttyns/term -c show -- /bin/sh -c 't=\$(tty) && echo tty=\$t; [ \"\$(stat -c %d \$t)\" = \"\$(stat -c %d /dev/pts)\" ] && echo same-devpts; stty size; exit 5'" /dev/null </dev/null) &&
  rc=0 || rc=$?
log "exec -t: $(tr '\r\n' '  ' <<<"$ex") (status $rc)"
[ "$rc" = 5 ] || fail "exec -t returned $rc, not the command's 5: $ex"
grep -q '^tty=/dev/pts/[1-9]' <<<"$ex" || fail "exec -t's command has no pty of the container: $ex"
grep -q '^same-devpts' <<<"$ex" || fail "exec -t's pty is not of the container's devpts: $ex"
grep -q '^24 80' <<<"$ex" || fail "exec -t's window is not 24x80 (podlet's terminal has no size): $ex"
# The window size of podlet's terminal is passed on.
ex=$(script -qec "stty rows 50 cols 132; $PODLET exec -t ttyns/term -c show -- stty size" /dev/null </dev/null) ||
  fail "exec -t stty size failed: $ex"
grep -q '^50 132' <<<"$ex" || fail "exec -t did not pass the window size 50x132 on: $ex"
# SIGWINCH: podlet's terminal resized while CMD runs -> CMD's terminal follows. CMD says it
# runs through a file in the container; only then is podlet's terminal (script's) resized.
ready=/proc/$main_pid/root/tmp/winch-ready
rm -f "$ready"
cat >"$E2E_WORK/winch.sh" <<SH
(for i in \$(seq 300); do [ -e $ready ] && break; sleep 0.1; done; stty -F /dev/tty rows 40 cols 100) &
exec $PODLET exec -t ttyns/term -c show -- /bin/sh -c 'stty size; touch /tmp/winch-ready; i=0
  while [ "\$(stty size)" != "40 100" ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i+1)); done; stty size'
SH
ex=$(script -qec "bash $E2E_WORK/winch.sh" /dev/null </dev/null) || fail "exec -t for SIGWINCH failed: $ex"
log "exec -t resized: $(tr '\r\n' '  ' <<<"$ex")"
[ "$(grep -E '^[0-9]+ [0-9]+' <<<"$ex" | tr -d '\r' | tr '\n' ,)" = "24 80,40 100," ] ||
  fail "exec -t's terminal did not follow podlet's from 24x80 to 40x100: $ex"
# -it: input reaches CMD through its terminal, and podlet's terminal is restored afterwards.
ex=$(printf 'echo in-$((6*7))\nexit 4\n' |
  script -qec "stty -g; $PODLET exec -it ttyns/term -c show -- /bin/sh; echo rc=\$?; stty -g" /dev/null) ||
  fail "script failed: $ex"
log "exec -it: $(tr '\r\n' '  ' <<<"$ex")"
grep -q 'in-42' <<<"$ex" || fail "exec -it's shell did not get the input: $ex"
grep -q '^rc=4' <<<"$ex" || fail "exec -it did not return the shell's status 4: $ex"
modes=$(grep -E '^[0-9a-f]+(:[0-9a-f]+){10,}' <<<"$ex" | tr -d '\r')
[ "$(wc -l <<<"$modes")" = 2 ] && [ "$(sort -u <<<"$modes" | wc -l)" = 1 ] || fail "podlet's terminal was not restored after exec -it: $ex"
# Without -t, no terminal (as before).
[ "$("$PODLET" exec ttyns/term -c show -- /bin/sh -c '[ -t 0 ] || [ -t 1 ] || echo no-tty')" = no-tty ] ||
  fail "exec without -t has a terminal"

# SIGTERM on down reaches the workload at once (the grace period is 30 s).
start=$SECONDS
"$PODLET" down ttyns/term || fail "down failed"
[ $((SECONDS - start)) -lt 15 ] || fail "down of the tty pod took $((SECONDS - start)) s"
assert_clean ttyns

# A tty workload that writes ~300 KB (far more than the pty buffer) completes; its exit
# status is play --wait's, and its output is in the journal up to the last line.
end="FLOOD-END-$$-$RANDOM"
f=$(manifest flood <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: flood
  namespace: ttyns
spec:
  restartPolicy: Never
  containers:
    - name: flood
      image: localhost/busybox:latest
      imagePullPolicy: Never
      tty: true
      command: ["/bin/sh", "-c", "yes \`printf '%0199d' 7\` | head -c 300000; echo; echo $end; exit 3"]
YAML
)
rc=0 t0=$(date +%s)
"$PODLET" play --wait "$f" >/dev/null 2>"$E2E_WORK/flood.err" || rc=$?
[ "$rc" = 3 ] || fail "play --wait of the flooding tty pod returned $rc, not 3: $(cat "$E2E_WORK/flood.err")"
flood_log() { journalctl -q -o cat --since "@$t0" PODLET_NAMESPACE=ttyns PODLET_POD_NAME=flood PODLET_CONTAINER=flood; }
wait_until 30 eval 'flood_log | grep -qx "$end"' || fail "the flood's last line is not in the journal"
lines=$(flood_log | grep -c '^0*7$' || true)
[ "$lines" -ge 1490 ] || fail "only $lines of the flood's 1500 lines are in the journal"
assert_clean ttyns
