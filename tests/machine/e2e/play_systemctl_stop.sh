#!/usr/bin/env bash
# `systemctl stop` of the pod's slice, with no podlet involved, stops every unit and
# runs the cleanup the units carry (the infra's ExecStopPost): the pod's mounts
# (shm, memory-backed emptyDirs) are gone, its IP is released, its runtime files
# removed, no process is left. `ps` then shows the pod as not running, and
# `podlet down` removes what is left of it (the plan).
. "$(dirname "$0")/lib.sh"
use_namespace sysstop
ensure_busybox

f=$(manifest stopme <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: stopme
  namespace: sysstop
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - name: mem
      emptyDir: {medium: Memory}
    - name: disk
      emptyDir: {}
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo data > /m/file; trap 'exit 0' TERM; while :; do sleep 1; done"]
      volumeMounts: [{name: mem, mountPath: /m}, {name: disk, mountPath: /d}]
YAML
)
play_ok "$f"
state=$PODLET_RUNROOT/pods/sysstop_stopme
ip=$(pod_json sysstop/stopme | jq -r .status.podIP)
[ -n "$ip" ] || fail "the pod has no IP"
uid=$(pod_json sysstop/stopme | jq -r .metadata.uid)
ipam_has_pod() { jq -e --arg u "$uid" '.pods | tostring | contains($u)' "$PODLET_ROOT"/ipam/*.json >/dev/null; }
ipam_has_pod || fail "IPAM does not list the pod: $(cat "$PODLET_ROOT"/ipam/*.json)"
grep -qF " $state/" /proc/self/mountinfo || fail "the pod has no mounts under $state"
[ -e "$state/infra.pid" ] || fail "no infra pid file"

systemctl stop 'podlet-sysstop_stopme.slice'

left=$(units_of_namespace sysstop)
[ -z "$left" ] || fail "units still loaded after systemctl stop: $left"
! grep -qF " $state/" /proc/self/mountinfo || fail "mounts left: $(grep -F " $state/" /proc/self/mountinfo)"
! ipam_has_pod || fail "the pod's IP $ip was not released: $(cat "$PODLET_ROOT"/ipam/*.json)"
for runtime_file in infra.pid hosts resolv.conf hostname shm; do
  [ ! -e "$state/$runtime_file" ] || fail "$state/$runtime_file is left after the cleanup"
done
[ -z "$(grep -l -F /podlet-sysstop_ /proc/[0-9]*/cgroup 2>/dev/null)" ] || fail "processes left"
[ "$(pod_phase sysstop/stopme)" = Unknown ] || fail "ps does not show the stopped pod as Unknown"
[ -z "$(pod_json sysstop/stopme | jq -r .status.podIP)" ] || fail "ps still shows an IP"
# Nothing is cleaned up twice or fails: the infra unit's stop went through its ExecStopPost.
stopped_cleanly() { journalctl -q --no-pager -u podlet-sysstop_stopme-infra.service | grep -q "Deactivated successfully"; }
wait_until 10 stopped_cleanly ||
  fail "the infra's stop did not succeed: $(journalctl -q --no-pager -u podlet-sysstop_stopme-infra.service)"

# The pod still exists for podlet until down; then nothing is left.
rc=0
"$PODLET" play "$f" 2>/dev/null || rc=$?
[ $rc != 0 ] || fail "play over a stopped pod that was not taken down succeeded"
down_clean sysstop/stopme
