#!/usr/bin/env bash
# The pod's units as systemd runs them: restartPolicy -> Restart= with start-rate
# limits; resources.limits cpu/memory and the pids limit -> CPUQuotaPerSecUSec,
# MemoryMax, TasksMax on each container unit and on the pod slice;
# terminationGracePeriodSeconds -> TimeoutStopSec, SIGTERM to the whole cgroup;
# journal fields naming pod, namespace and container; env and workingDir stay out of
# the units; no podlet process stays resident: each unit's main process is the workload.
. "$(dirname "$0")/lib.sh"
use_namespace units
ensure_busybox

f=$(manifest limits <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: limits
  namespace: units
spec:
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 7
  initContainers:
    - name: side
      image: localhost/busybox:latest
      imagePullPolicy: Never
      restartPolicy: Always
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
      resources:
        limits: {cpu: 100m, memory: 16Mi}
  containers:
    - name: big
      image: localhost/busybox:latest
      imagePullPolicy: Never
      workingDir: /tmp
      env: [{name: SECRET_LOOKING, value: not-in-the-unit}]
      command: ["/bin/sh", "-c", "echo big says hi; trap 'exit 0' TERM; while :; do sleep 1; done"]
      resources:
        requests: {cpu: 250m, memory: 32Mi}
        limits: {cpu: 500m, memory: 64Mi}
    - name: small
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "echo small says hi; trap 'exit 0' TERM; while :; do sleep 1; done"]
      resources:
        limits: {cpu: "1", memory: 128Mi}
YAML
)
play_ok "$f"

show() { systemctl show -P "$2" "$1"; }
expect() {
  local got
  got=$(show "$1" "$2")
  [ "$got" = "$3" ] || fail "$1 $2=$got, expected $3"
}
big=podlet-units_limits_big.service
small=podlet-units_limits_small.service
side=podlet-units_limits_side.service
slice=podlet-units_limits.slice
infra=podlet-units_limits-infra.service

# Unit types: the infra and every long-running container are Type=notify (READY once the
# workload exec'd), all in the pod's slice.
expect "$infra" Type notify
for u in "$big" "$small" "$side"; do expect "$u" Type notify; done
expect "$infra" Slice "$slice"
expect "$slice" Slice podlet.slice

# restartPolicy OnFailure -> Restart=on-failure with a start-rate limit; the sidecar always restarts.
expect "$big" Restart on-failure
expect "$small" Restart on-failure
expect "$side" Restart always
for u in "$big" "$small" "$side"; do
  expect "$u" RestartUSec 1s
  expect "$u" StartLimitBurst 10
  expect "$u" StartLimitIntervalUSec 2min
done
expect "$infra" Restart no

# Limits: 500m = 0.5 s of CPU per second; memory in bytes; the pids limit.
expect "$big" CPUQuotaPerSecUSec 500ms
expect "$big" MemoryMax $((64 << 20))
expect "$big" TasksMax 2048
expect "$big" CPUWeight 10
expect "$small" CPUQuotaPerSecUSec 1s
expect "$small" MemoryMax $((128 << 20))
expect "$side" CPUQuotaPerSecUSec 100ms
expect "$side" MemoryMax $((16 << 20))
# The slice: every container has limits, so the pod's sum (sidecar + apps) applies to it too.
expect "$slice" CPUQuotaPerSecUSec 1.600000s
expect "$slice" MemoryMax $(((64 + 128 + 16) << 20))
expect "$slice" TasksMax $((2048 * 4))

# Grace period: SIGTERM to the whole control group, SIGKILL after 7 s.
for u in "$big" "$small" "$side"; do
  expect "$u" TimeoutStopUSec 7s
  expect "$u" KillMode control-group
  expect "$u" KillSignal 15
  expect "$u" SendSIGKILL yes
  expect "$u" BindsTo "$infra"
  show "$u" After | grep -qw "$infra" || fail "$u is not ordered after the infra"
  expect "$u" Slice "$slice"
done
show "$big" After | grep -qw "$side" || fail "app containers do not start after the sidecar"

# Environment and working directory stay in the runtime spec.
for u in "$big" "$small" "$side" "$infra"; do
  if show "$u" Environment | grep -q SECRET_LOOKING || show "$u" WorkingDirectory | grep -q /tmp; then
    fail "$u carries the workload's environment or working directory"
  fi
done

# Journal fields: pod, namespace, pod name and container.
for c in big small; do
  fields() {
    journalctl -q --no-pager -o json PODLET_CONTAINER="$c" PODLET_NAMESPACE=units PODLET_POD_NAME=limits \
      PODLET_POD=units/limits | grep -q "$c says hi"
  }
  wait_until 10 fields || fail "no journal entry of $c with PODLET_POD/NAMESPACE/POD_NAME/CONTAINER"
done
entry=$(journalctl -q --no-pager -o json PODLET_POD=units/limits PODLET_CONTAINER=big | head -n 1)
[ "$(jq -r ._SYSTEMD_UNIT <<<"$entry")" = "$big" ] || fail "the entry is not from $big: $entry"

# No podlet process stays resident: every container unit's main process is its workload,
# and no podlet process is left in the pod's cgroups (the infra is podlet's own process).
for u in "$big" "$small" "$side"; do
  pid=$(show "$u" MainPID)
  [ "${pid:-0}" -gt 0 ] || fail "$u has no main process"
  [ "$(cat "/proc/$pid/comm")" != podlet ] || fail "$u's main process is podlet"
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "while :" || fail "$u's main process is not the workload"
  cg=$(show "$u" ControlGroup)
  for p in $(cat "/sys/fs/cgroup$cg/cgroup.procs"); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" != podlet ] || fail "a podlet process ($p) stays in $u"
  done
done

down_clean units/limits
