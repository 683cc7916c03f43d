#!/usr/bin/env bash
# Probes and hooks of a pod started from `generate systemd` unit files run as those of
# `play`: the container's unit pulls in its probes' timers (Wants=), the same oneshot
# `podlet internal probe` checks, a readiness result is recorded for the container's
# run, a liveness failure restarts the container after its preStop hook, postStart runs
# at each start and preStop on `systemctl stop`.
. "$(dirname "$0")/lib.sh"
use_namespace genprobe
ensure_busybox
unitdir=/run/systemd/system
generated=()
remove_generated_units_on_exit genprobe_web

f=$(pod_manifest genprobe web <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container web 'touch /tmp/healthy; mkdir -p /www; echo ok > /www/index.html; exec httpd -f -p 8080 -h /www' \
  'readinessProbe: {httpGet: {port: 8080}, periodSeconds: 1}' \
  'livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 2}' \
  'lifecycle: {postStart: {exec: {command: [sh, -c, "touch /tmp/post"]}}, preStop: {exec: {command: [echo, prestop-said]}}}')
YAML
)
mapfile -t generated < <("$PODLET" generate systemd --output-dir "$unitdir" "$f")
web=podlet-genprobe_web_web.service
ready_timer=podlet-genprobe_web_web_readiness-probe.timer
for u in "$ready_timer" podlet-genprobe_web_web_readiness-probe.service podlet-genprobe_web_web_liveness-probe.timer \
  podlet-genprobe_web_web_liveness-probe.service; do
  [ -f "$unitdir/$u" ] || fail "no unit file $u: ${generated[*]}"
done
grep -qx "Wants=$ready_timer" "$unitdir/$web" || fail "the container does not pull in its probe timer"
grep -q "^ExecStartPost=.* internal hook " "$unitdir/$web" || fail "no postStart hook in $(cat "$unitdir/$web")"
grep -q "^ExecStop=.* internal hook " "$unitdir/$web" || fail "no preStop hook in $(cat "$unitdir/$web")"
systemctl daemon-reload
systemctl start podlet-genprobe_web-infra.service || fail "start failed"
timer_active() { [ "$(systemctl show -P ActiveState "$ready_timer")" = active ]; }
wait_until 20 timer_active || fail "the probe timer did not start with the container"

state=$PODLET_RUNROOT/pods/genprobe_web/probes/web.readiness.json
ready() { [ "$(jq -r .result "$state")" = success ]; }
wait_until 20 ready || fail "readiness never succeeded: $(cat "$state" 2>&1)"
case $(jq -r .run "$state") in
  "$(systemctl show -P MainPID $web)"@*) ;;
  *) fail "the result is not about the container's current run: $(cat "$state")" ;;
esac

# Liveness: the container turns unhealthy and is restarted by the probe.
pid=$(systemctl show -P MainPID $web)
nsenter -t "$pid" -m -r rm /tmp/healthy
restarted() { [ "$(systemctl show -P MainPID $web)" != "$pid" ] && [ "$(systemctl show -P ActiveState $web)" = active ]; }
wait_until 30 restarted || fail "liveness failure did not restart the container"
journalctl -q -o cat PODLET_POD=genprobe/web PODLET_PROBE=liveness | grep -q "Container web failed liveness probe, will be restarted" ||
  fail "the restart is not in the journal"
timer_active || fail "the probe timer stopped with the restart"
# preStop's output: in the probe's log on a liveness kill, in the container's on a stop.
prestops() { journalctl -q -o cat PODLET_POD=genprobe/web | grep -cx prestop-said; }
journalctl -q -o cat PODLET_POD=genprobe/web PODLET_PROBE=liveness | grep -qx prestop-said ||
  fail "preStop did not run before the liveness kill"
nsenter -t "$(systemctl show -P MainPID $web)" -m -r test -f /tmp/post || fail "postStart did not run in the restarted container"

before=$(prestops)
systemctl stop podlet-genprobe_web.slice
[ "$(prestops)" -gt "$before" ] || fail "preStop did not run on systemctl stop"
journalctl -q -o cat PODLET_POD=genprobe/web PODLET_CONTAINER=web | grep -qx prestop-said ||
  fail "preStop's output on stop is not in the container's log"
left=$(systemctl list-units --all --plain --no-legend 'podlet-genprobe*' | awk '$3 == "active" || $3 == "activating" {print $1}')
[ -z "$left" ] || fail "units still active after the slice stopped: $left"
