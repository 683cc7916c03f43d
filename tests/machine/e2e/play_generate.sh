#!/usr/bin/env bash
# `podlet generate systemd`: unit files (slice, infra, containers) from the same plan
# play uses. After daemon-reload, starting the infra unit starts the whole pod (init
# container first); the infra unit can be enabled (WantedBy=multi-user.target);
# stopping the slice stops every unit and runs the cleanup.
. "$(dirname "$0")/lib.sh"
use_namespace gen
ensure_busybox
unitdir=/run/systemd/system
generated=()
remove_generated_units_on_exit gen_persisted

f=$(pod_manifest gen persisted <<YAML
  terminationGracePeriodSeconds: 2
$SHARED_VOLUME
  initContainers:
$(busybox_container init 'echo initialised > /shared/state' "$SHARED_MOUNT")
  containers:
$(busybox_container web "echo web sees \$(cat /shared/state); $LOOP" "$SHARED_MOUNT" "resources:" "  limits: {memory: 32Mi}")
YAML
)
mapfile -t generated < <("$PODLET" generate systemd --output-dir "$unitdir" "$f")
[ ${#generated[@]} = 4 ] || fail "expected 4 unit files, got: ${generated[*]}"
slice='podlet-gen_persisted.slice'
infra=podlet-gen_persisted-infra.service
for u in "$slice" "$infra" podlet-gen_persisted_init.service podlet-gen_persisted_web.service; do
  [ -f "$unitdir/$u" ] || fail "no unit file $u"
done
grep -qx "WantedBy=multi-user.target" "$unitdir/$infra" || fail "the infra unit has no [Install] section"
[ -z "$(units_of_namespace gen)" ] || fail "generate started units"

systemctl daemon-reload
systemctl enable "$infra" || fail "systemctl enable failed"
[ "$(systemctl is-enabled "$infra")" = enabled ] || fail "the infra unit is not enabled"
systemctl start "$infra" || fail "systemctl start $infra failed: $(journalctl -q --no-pager -u "$infra" | tail)"
running() { [ "$(systemctl show -P ActiveState podlet-gen_persisted_web.service)" = active ]; }
wait_until 30 running || fail "web did not start: $(systemctl status --no-pager 'podlet-gen_persisted*' 2>&1 | tail -30)"
# init ran to completion, successfully; web is in the pod's slice with its limit.
unit_is podlet-gen_persisted_init.service ActiveState active
unit_is podlet-gen_persisted_init.service SubState exited
unit_is podlet-gen_persisted_init.service ExecMainStatus 0
unit_is podlet-gen_persisted_web.service Slice "$slice"
unit_is podlet-gen_persisted_web.service MemoryMax $((32 << 20))
saw() { journalctl -q --no-pager PODLET_POD=gen/persisted PODLET_CONTAINER=web | grep -q "web sees initialised"; }
wait_until 10 saw || fail "web did not see the init container's work"

systemctl stop "$slice"
left=$(systemctl list-units --all --plain --no-legend 'podlet-gen*' | awk '$3 == "active" || $3 == "activating" {print $1}')
[ -z "$left" ] || fail "units still active after the slice stopped: $left"
[ -z "$(grep -l -F /podlet-gen_ /proc/[0-9]*/cgroup 2>/dev/null)" ] || fail "processes left"
! grep -qF "$PODLET_RUNROOT/pods/gen_persisted/" /proc/self/mountinfo || fail "mounts left after stop"

# It starts again from the same files (as at the next boot).
systemctl start "$infra" || fail "second start failed"
wait_until 30 running || fail "web did not start a second time"
systemctl stop "$slice"
