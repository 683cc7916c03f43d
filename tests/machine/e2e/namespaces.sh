#!/usr/bin/env bash
# Two pods of the same name in different namespaces coexist (names with dashes, so
# the slices' escaping matters); an existing pod is refused unless --replace.
. "$(dirname "$0")/lib.sh"
use_namespace team-a
use_namespace team-b
ensure_busybox

pod() {
  pod_manifest "$1" my-web "$1" <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container web "echo I am in $1; $LOOP")
YAML
}
a=$(pod team-a)
b=$(pod team-b)
"$PODLET" play "$a" || fail "play team-a failed"
"$PODLET" play "$b" || fail "play team-b failed"
[ "$(pod_phase team-a/my-web)" = Running ] || fail "team-a/my-web not Running"
[ "$(pod_phase team-b/my-web)" = Running ] || fail "team-b/my-web not Running"
systemctl is-active --quiet 'podlet-team\x2da_my\x2dweb.slice' || fail "team-a slice not active"
systemctl is-active --quiet 'podlet-team\x2db_my\x2dweb.slice' || fail "team-b slice not active"
# The escaped slices do not nest in each other.
[ "$(systemctl show -P Slice 'podlet-team\x2da_my\x2dweb.slice')" = podlet.slice ] || fail "slice nesting"

rc=0
err=$("$PODLET" play "$a" 2>&1) || rc=$?
[ $rc != 0 ] && grep -q "already exists" <<<"$err" || fail "a second play of team-a/my-web was not refused: $err"
[ "$(pod_phase team-a/my-web)" = Running ] || fail "the refused play disturbed the running pod"
"$PODLET" play --replace "$a" || fail "play --replace failed"
[ "$(pod_phase team-a/my-web)" = Running ] || fail "team-a/my-web not Running after --replace"

"$PODLET" down -n team-a my-web || fail "down team-a failed"
assert_clean team-a
[ "$(pod_phase team-b/my-web)" = Running ] || fail "down of team-a touched team-b"
"$PODLET" down "$b" || fail "down by manifest failed"
assert_clean team-b
