#!/usr/bin/env bash
# `podlet exec POD -c C -- CMD` runs CMD inside the running container: its namespaces
# (the same /proc/PID/ns inodes as the container's workload), its root, its user,
# groups and capability set, its seccomp/no_new_privs state and its cgroup; stdin
# only with -i; CMD's exit status is exec's. A container that is not running is an error.
. "$(dirname "$0")/lib.sh"
use_namespace execns
ensure_busybox

f=$(manifest exec <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: box
  namespace: execns
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
    - name: prep
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/true"]
  containers:
    - name: main
      image: localhost/busybox:latest
      imagePullPolicy: Never
      workingDir: /tmp
      command: ["/bin/sh", "-c", "echo from-main > /tmp/marker; trap 'exit 0' TERM; while :; do sleep 1; done"]
      securityContext:
        runAsUser: 1000
        runAsGroup: 1000
        allowPrivilegeEscalation: false
        capabilities:
          drop: ["ALL"]
          add: ["NET_BIND_SERVICE", "CHOWN"]
    - name: other
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
)
play_ok "$f"
unit=podlet-execns_box_main.service
main_pid=$(systemctl show -P MainPID "$unit")
[ "${main_pid:-0}" -gt 0 ] || fail "$unit has no main pid"
wait_until 10 test -e "/proc/$main_pid/root/tmp/marker" || fail "the workload did not write its marker"

x() { "$PODLET" exec execns/box -c main -- "$@"; }

# Namespaces: every one the workload has, by inode.
for ns in mnt pid net uts ipc cgroup; do
  want=$(readlink "/proc/$main_pid/ns/$ns")
  got=$(x readlink "/proc/self/ns/$ns") || fail "exec readlink $ns failed"
  [ "$got" = "$want" ] || fail "exec's $ns namespace is $got, the container's $want"
done
# Root: the container's file system (its upper layer), and the working directory.
[ "$(x cat /tmp/marker)" = from-main ] || fail "exec does not see the container's root"
[ "$(x pwd)" = /tmp ] || fail "exec's working directory is $(x pwd), not the container's /tmp"
[ -z "$(x ls /work 2>/dev/null)" ] || fail "exec sees the host's file system"
# The pid namespace: the workload is PID 1 there.
x cat /proc/1/cmdline | tr '\0' ' ' | grep -q "echo from-main" || fail "PID 1 in exec's pid namespace is not the workload"
# Identity and privileges: the same as the workload's.
[ "$(x id -u)" = 1000 ] && [ "$(x id -g)" = 1000 ] || fail "exec runs as $(x id), not uid/gid 1000"
for field in CapEff CapPrm CapBnd CapInh CapAmb NoNewPrivs Seccomp Groups; do
  want=$(grep "^$field:" "/proc/$main_pid/status")
  got=$(x grep "^$field:" /proc/self/status) || fail "exec grep $field failed"
  [ "$got" = "$want" ] || fail "exec's $got differs from the container's $want"
done
# (A non-root workload keeps its capabilities in the bounding set only: execve clears the rest.)
[ "$(grep ^CapBnd: "/proc/$main_pid/status" | awk '{print $2}')" = 0000000000000401 ] ||
  fail "the container's CapBnd is not CHOWN+NET_BIND_SERVICE: $(grep ^CapBnd: "/proc/$main_pid/status")"
# Environment: the container's.
x env | grep -q '^PATH=' || fail "exec has no PATH"
[ "$(x sh -c 'echo $HOME')" = "$(tr '\0' '\n' <"/proc/$main_pid/environ" | sed -n 's/^HOME=//p')" ] ||
  fail "exec's HOME differs from the workload's"
# Cgroup: the container unit's (so its limits apply and a stop reaches it).
# (Only the cgroup2 line: v1 hierarchies of a hybrid host are not systemd's.)
[ "$(x grep '^0::' /proc/self/cgroup)" = "$(x grep '^0::' /proc/1/cgroup)" ] || fail "exec is not in the container's cgroup"
sleeper_in_unit() { systemd-cgls --no-pager -u "$unit" | grep -q "sleep 4242"; }
"$PODLET" exec execns/box -c main -- sleep 4242 &
bg=$!
wait_until 10 sleeper_in_unit || fail "an exec'd process is not in $unit's cgroup: $(systemd-cgls --no-pager -u "$unit")"
kill -TERM "$bg"
rc=0
wait "$bg" || rc=$?
[ $rc = 143 ] || fail "exec interrupted by SIGTERM returned $rc, not 143"
wait_until 10 bash -c "! systemd-cgls --no-pager -u $unit | grep -q 'sleep 4242'" ||
  fail "SIGTERM to podlet exec did not reach the command"

# Exit status and errors.
rc=0
x sh -c 'exit 42' || rc=$?
[ $rc = 42 ] || fail "exec of 'exit 42' returned $rc"
rc=0
x /no/such/program 2>/dev/null || rc=$?
[ $rc = 127 ] || fail "exec of a missing program returned $rc, not 127"
# stdin: only with -i.
[ "$(echo piped | "$PODLET" exec -i execns/box -c main -- cat)" = piped ] || fail "exec -i does not pass stdin"
[ -z "$(echo piped | "$PODLET" exec execns/box -c main -- cat)" ] || fail "exec without -i passed stdin"
# Default container: the first app container.
[ "$("$PODLET" exec execns/box -- cat /tmp/marker)" = from-main ] || fail "exec without -c is not in main"
# Another container of the pod: its own mount namespace, the pod's network.
[ "$("$PODLET" exec execns/box -c other -- readlink /proc/self/ns/mnt)" != "$(readlink "/proc/$main_pid/ns/mnt")" ] ||
  fail "exec -c other shares main's mount namespace"
[ "$("$PODLET" exec execns/box -c other -- readlink /proc/self/ns/net)" = "$(readlink "/proc/$main_pid/ns/net")" ] ||
  fail "exec -c other is not in the pod's network namespace"
# Not running / not there.
rc=0
err=$("$PODLET" exec execns/box -c prep -- true 2>&1) || rc=$?
[ $rc = 1 ] && grep -q "not running" <<<"$err" || fail "exec into a completed init container: rc $rc: $err"
rc=0
err=$("$PODLET" exec execns/box -c nope -- true 2>&1) || rc=$?
[ $rc = 1 ] && grep -q "no container nope" <<<"$err" || fail "exec into a missing container: rc $rc: $err"
rc=0
err=$("$PODLET" exec execns/nosuchpod -- true 2>&1) || rc=$?
[ $rc = 1 ] && grep -q "not found" <<<"$err" || fail "exec into a missing pod: rc $rc: $err"

down_clean execns/box
