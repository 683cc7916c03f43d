#!/usr/bin/env bash
# terminationGracePeriodSeconds: a stop sends SIGTERM to every process of the
# container (the whole cgroup), and SIGKILL to what still runs once the grace period
# is over; a container that handles SIGTERM stops at once. `down --grace-period N`
# overrides the pod's period, `down --force` kills at once.
. "$(dirname "$0")/lib.sh"
use_namespace grace
ensure_busybox

pod() {
  pod_manifest grace "$1" <<YAML
  terminationGracePeriodSeconds: $2
  containers:
$(busybox_container stubborn "sleep 1000 &
trap 'echo stubborn got TERM' TERM
echo stubborn ready
while :; do sleep 0.2; done")
$(busybox_container polite "trap 'echo polite got TERM; exit 0' TERM; echo polite ready; while :; do sleep 0.2; done")
YAML
}

ready() { "$PODLET" logs "grace/$1" | grep -q "\[$2\] $2 ready"; }

f=$(pod slow 4)
"$PODLET" play "$f" || fail "play failed"
wait_until 10 ready slow stubborn || fail "stubborn did not start"
wait_until 10 ready slow polite || fail "polite did not start"
[ "$(systemctl show -P TimeoutStopUSec podlet-grace_slow_stubborn.service)" = 4s ] || fail "TimeoutStopSec is not 4s"
# The background sleep is in the container's cgroup, beside the shell.
cg=$(systemctl show -P ControlGroup podlet-grace_slow_stubborn.service)
[ "$(wc -l <"/sys/fs/cgroup$cg/cgroup.procs")" -ge 2 ] || fail "stubborn's cgroup lacks its background child"

# Stop only the polite container: it goes at once.
start=$(date +%s%N)
systemctl stop podlet-grace_slow_polite.service
elapsed=$((($(date +%s%N) - start) / 1000000))
[ $elapsed -lt 3000 ] || fail "a container that exits on SIGTERM took ${elapsed} ms to stop"
wait_until 10 bash -c '"$PODLET" logs -c polite grace/slow | grep -q "polite got TERM"' ||
  fail "polite did not get SIGTERM"

# The pod: the stubborn container gets SIGTERM, ignores it, and is killed after 4 s.
start=$(date +%s%N)
"$PODLET" down grace/slow || fail "down failed"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ $elapsed -ge 3900 ] || fail "down took ${elapsed} ms: the grace period of 4 s was not granted"
[ $elapsed -lt 15000 ] || fail "down took ${elapsed} ms: SIGKILL did not follow the grace period"
wait_until 10 bash -c '"$PODLET" logs -c stubborn grace/slow | grep -q "stubborn got TERM"' ||
  fail "stubborn did not get SIGTERM first: $("$PODLET" logs grace/slow)"
escalated() { journalctl -q --no-pager -u podlet-grace_slow_stubborn.service | grep -q "timed out. Killing"; }
wait_until 10 escalated ||
  fail "systemd did not escalate to SIGKILL: $(journalctl -q --no-pager -u podlet-grace_slow_stubborn.service)"
assert_clean grace

# down --grace-period overrides the pod's 60 s; --force kills at once.
f=$(pod long 60)
"$PODLET" play "$f" || fail "play failed"
wait_until 10 ready long stubborn || fail "stubborn did not start"
start=$(date +%s%N)
"$PODLET" down --grace-period 1 grace/long || fail "down --grace-period failed"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ $elapsed -lt 10000 ] || fail "down --grace-period 1 took ${elapsed} ms"
assert_clean grace
"$PODLET" play "$f" || fail "play failed"
wait_until 10 ready long stubborn || fail "stubborn did not start"
start=$(date +%s%N)
"$PODLET" down --force grace/long || fail "down --force failed"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ $elapsed -lt 5000 ] || fail "down --force took ${elapsed} ms"
assert_clean grace
