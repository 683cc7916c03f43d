#!/usr/bin/env bash
# A 3-container pod starts; its units are in its slice; each container's output is
# in the journal and in `podlet logs`; `podlet down` leaves nothing behind.
. "$(dirname "$0")/lib.sh"
use_namespace basic
ensure_busybox

container() { busybox_container "$1" "echo \"hello from $1\"; $LOOP"; }
f=$(pod_manifest basic trio <<YAML
  terminationGracePeriodSeconds: 5
  containers:
$(container one)
$(container two)
$(container three)
YAML
)

play_ok "$f"
[ "$(pod_phase basic/trio)" = Running ] || fail "pod is not Running: $(pod_json basic/trio)"
[ "$(pod_json basic/trio | jq '[.status.containerStatuses[] | select(.ready)] | length')" = 3 ] ||
  fail "not every container is ready"

slice='podlet-basic_trio.slice'
systemctl is-active --quiet "$slice" || fail "slice $slice is not active"
for c in one two three; do
  unit="podlet-basic_trio_$c.service"
  [ "$(systemctl show -P ActiveState "$unit")" = active ] || fail "$unit is not active"
  [ "$(systemctl show -P Slice "$unit")" = "$slice" ] || fail "$unit is not in $slice"
done
[ "$(systemctl show -P Slice podlet-basic_trio-infra.service)" = "$slice" ] || fail "infra not in the slice"
systemctl status --no-pager "$slice" >/dev/null || true

logged() { "$PODLET" logs -c "$1" basic/trio | grep -qx "hello from $1"; }
journaled() { journalctl -q --no-pager PODLET_POD=basic/trio PODLET_CONTAINER="$1" | grep -q "hello from $1"; }
for c in one two three; do
  wait_until 10 logged "$c" || fail "podlet logs -c $c: $("$PODLET" logs -c "$c" basic/trio 2>&1)"
  wait_until 10 journaled "$c" || fail "journalctl has no output of $c"
done
all=$("$PODLET" logs basic/trio)
for c in one two three; do
  grep -qx "\[$c\] hello from $c" <<<"$all" || fail "podlet logs without -c misses $c: $all"
done

"$PODLET" down basic/trio || fail "down failed"
assert_clean basic
# Idempotent.
"$PODLET" down basic/trio || fail "a second down failed"
