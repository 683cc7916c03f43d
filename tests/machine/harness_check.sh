#!/bin/sh
# Runs inside the throwaway machine: checks what tests there rely on.
set -eu
fail() { echo "harness_check: $*" >&2; exit 1; }

[ "$(cat /proc/1/comm)" = systemd ] || fail "PID 1 is $(cat /proc/1/comm), not systemd"
[ -d /run/systemd/system ] || fail "/run/systemd/system missing"
state=$(systemctl is-system-running) || true
case $state in running | degraded) ;; *) fail "systemd is '$state'" ;; esac
[ -S /run/dbus/system_bus_socket ] || fail "no system bus socket"
busctl --system get-property org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager Version >/dev/null || fail "systemd1 not on the system bus"
[ "${PODLET_HARNESS_CHECK:-}" = passed-through ] || fail "environment not passed into the machine"
if [ -n "${PODLET_MACHINE:-}" ]; then
  # Inside a booted machine, commands run in a cgroup of the machine's own tree.
  if grep -q '^0::/\.\.' /proc/self/cgroup; then
    fail "running outside the machine's cgroup tree: $(cat /proc/self/cgroup)"
  fi
fi
[ "$(stat -fc %T /var/lib/podlet-test)" = tmpfs ] || fail "/var/lib/podlet-test is not tmpfs"
[ "$(stat -fc %T /var/lib/podlet)" = tmpfs ] || fail "/var/lib/podlet is not tmpfs"

# The store dirs must take an overlay upper layer (the machine's root cannot).
d=$(mktemp -d /var/lib/podlet-test/harness.XXXXXX)
trap 'umount "$d/merged" 2>/dev/null || true; rm -rf "$d"' EXIT
mkdir "$d/lower" "$d/upper" "$d/work" "$d/merged"
echo hi >"$d/lower/f"
mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" "$d/merged"
[ "$(cat "$d/merged/f")" = hi ] || fail "overlay on the test tmpfs does not work"

# A transient unit runs and its output reaches the journal.
out=$(systemd-run --wait --pipe -q -p SyslogIdentifier=harness-check /bin/echo from-a-unit)
[ "$out" = from-a-unit ] || fail "systemd-run printed '$out'"
echo "harness_check: ok"
