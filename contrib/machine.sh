#!/usr/bin/env bash
# A throwaway systemd machine for tests, for hosts whose PID 1 is not systemd. Never boot
# systemd bare over the host's root: its boot empties the host's /tmp and remounts the shared
# cgroup tmpfs read-only. Instead systemd-nspawn boots the host's own root through an overlay with a tmpfs upper layer, in a
# private mount namespace, its own cgroups and its own network namespace, so nothing it writes
# survives and nothing it mounts shows up on the host.
#
#   contrib/machine.sh start NAME [--bind DIR]... [--replace] [--timeout SEC]
#       Boots the machine and waits until its systemd reports running (or degraded).
#       DIRs are bound read-write at the same path (source and build dirs).
#       Inside, /var/lib/podlet (podlet's default --root) and /var/lib/podlet-test are tmpfs:
#       overlayfs cannot use the machine's overlay root as an upper layer.
#       Exit 77 when this host cannot run a machine at all (not root, no systemd-nspawn).
#       Where PID 1 already is systemd, nothing is booted and `run` runs commands directly.
#   contrib/machine.sh run NAME [--] CMD...
#       Runs CMD inside (all namespaces of the machine's PID 1) with the caller's environment
#       and working directory (when that directory exists inside); CMD's exit status is returned.
#       Exit 77 when `start` found that the host cannot run a machine.
#   contrib/machine.sh stop NAME
#       SIGTERM to nspawn, SIGKILL after 10 s, kill what is left in the machine's cgroups,
#       remove those cgroups depth-first and the state dir. Idempotent, safe after a failed start.
#   contrib/machine.sh status NAME
#       Prints mode, nspawn pid and the machine's PID 1; exit 1 when it is not running.
#   contrib/machine.sh list
#       Names of the machines with a state dir (e.g. left by an interrupted ctest run).
#
# State lives on the host under $PODLET_MACHINE_STATE (default /run/podlet-machines/NAME):
# mode (machine|direct), nspawn.pid, leader.pid, machine.log.
set -euo pipefail

readonly SKIP=77
readonly STATE_ROOT=${PODLET_MACHINE_STATE:-/run/podlet-machines}
readonly CG_HIERARCHIES=(/sys/fs/cgroup/unified /sys/fs/cgroup/systemd)

die() {
  echo "machine.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

check_name() {
  [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$ ]] || die "invalid machine name '$1'"
}

# The cgroup directories a machine owns, one per hierarchy that exists on this host.
machine_cgroups() {
  local h
  for h in "${CG_HIERARCHIES[@]}"; do
    [ -e "$h/cgroup.procs" ] && echo "$h/$1"
  done
  return 0
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Is $1 the nspawn process this state dir recorded (guards against pid reuse)?
is_nspawn() { alive "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = systemd-nspawn ]; }

# The machine's PID 1: the child of nspawn that is pid 1 in its own pid namespace.
find_leader() {
  local nspawn=$1 child
  for child in $(cat /proc/"$nspawn"/task/*/children 2>/dev/null); do
    if grep -Eq '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$child/status" 2>/dev/null; then
      echo "$child"
      return 0
    fi
  done
  return 1
}

# Why this host cannot boot a machine at all, or nothing when it can.
cannot_run_reason() {
  [ "$(id -u)" = 0 ] || { echo "not root"; return; }
  command -v systemd-nspawn >/dev/null || { echo "systemd-nspawn not installed"; return; }
  command -v nsenter >/dev/null || { echo "nsenter not installed"; return; }
  command -v unshare >/dev/null || { echo "unshare not installed"; return; }
  [ -e /sys/fs/cgroup/unified/cgroup.procs ] || [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] ||
    { echo "no cgroup2 hierarchy"; return; }
  grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || { echo "no overlayfs"; return; }
  return 0
}

cmd_start() {
  local name=$1
  shift
  check_name "$name"
  local binds=() replace=0 timeout=90
  while [ $# -gt 0 ]; do
    case $1 in
      --bind) binds+=("$(realpath -m "$2")"); shift 2 ;;
      --bind=*) binds+=("$(realpath -m "${1#--bind=}")"); shift ;;
      --replace) replace=1; shift ;;
      --timeout) timeout=$2; shift 2 ;;
      *) die "start: unknown option '$1'" ;;
    esac
  done

  local b
  for b in "${binds[@]}"; do [ -d "$b" ] || die "start: --bind $b: no such directory"; done

  local reason
  reason=$(cannot_run_reason)
  if [ -n "$reason" ]; then
    echo "machine.sh: cannot boot a systemd machine here: $reason (skipping)" >&2
    exit $SKIP
  fi

  local state=$STATE_ROOT/$name
  if [ -d "$state" ]; then
    if [ -f "$state/nspawn.pid" ] && is_nspawn "$(cat "$state/nspawn.pid")" && [ $replace = 0 ]; then
      die "machine $name is already running (stop it, or start with --replace)"
    fi
    cmd_stop "$name"
  fi
  mkdir -p "$state"

  if [ -d /run/systemd/system ]; then
    echo direct >"$state/mode"
    mkdir -p /var/lib/podlet-test
    echo "machine.sh: PID 1 is systemd; commands run directly on this host"
    return 0
  fi
  echo machine >"$state/mode"

  # Only bind dirs not already inside another bound dir (nspawn mounts them in order).
  local nspawn_binds=() o nested
  for b in "${binds[@]}"; do
    nested=0
    for o in "${binds[@]}"; do
      [ "$o" != "$b" ] && [[ $b/ == "$o"/* ]] && nested=1
    done
    [ $nested = 1 ] || nspawn_binds+=("--bind=$b")
  done

  local cg
  for cg in $(machine_cgroups "$name"); do mkdir -p "$cg"; done

  # The shell below runs in a private mount namespace and execs nspawn, so the pid it records
  # is nspawn's. Its mounts (tmpfs /run, the overlay) die with that namespace.
  setsid unshare --mount --propagation private -- /bin/bash -euc '
    state=$1 name=$2
    shift 2
    echo $$ >"$state/nspawn.pid"
    for cg in /sys/fs/cgroup/unified/$name /sys/fs/cgroup/systemd/$name; do
      [ -d "$cg" ] && echo $$ >"$cg/cgroup.procs"
    done
    mount -t tmpfs -o mode=0755 tmpfs /run
    mkdir -p /run/o/upper /run/o/work /run/o/root
    mount -t overlay overlay -o lowerdir=/,upperdir=/run/o/upper,workdir=/run/o/work /run/o/root
    export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 SYSTEMD_SECCOMP=0
    unset NOTIFY_SOCKET INVOCATION_ID LISTEN_FDS LISTEN_PID
    exec systemd-nspawn -q -D /run/o/root --register=no --keep-unit --private-network \
      --console=pipe --machine="$name" \
      --tmpfs=/var/lib/podlet:mode=0755 --tmpfs=/var/lib/podlet-test:mode=0755 "$@" \
      -b systemd.unit=basic.target systemd.firstboot=off
  ' machine-setup "$state" "$name" "${nspawn_binds[@]}" </dev/null >"$state/machine.log" 2>&1 &

  local deadline=$((SECONDS + timeout)) nspawn="" leader="" answer=""
  while [ $SECONDS -lt $deadline ]; do
    [ -z "$nspawn" ] && [ -s "$state/nspawn.pid" ] && nspawn=$(cat "$state/nspawn.pid")
    if [ -n "$nspawn" ] && ! alive "$nspawn"; then
      start_failed "$name" "nspawn exited during boot"
    fi
    if [ -n "$nspawn" ] && [ -z "$leader" ]; then
      leader=$(find_leader "$nspawn") || leader=""
    fi
    if [ -n "$leader" ]; then
      answer=$(timeout 30 nsenter -t "$leader" -a systemctl is-system-running --wait 2>/dev/null) || true
      case $answer in
        running | degraded) break ;;
        maintenance | stopping) start_failed "$name" "systemd is $answer" ;;
      esac
    fi
    sleep 0.1
  done
  case $answer in
    running | degraded) ;;
    *) start_failed "$name" "not running after ${timeout}s (last state: '${answer:-none}')" ;;
  esac
  echo "$leader" >"$state/leader.pid"
  if [ "$answer" = degraded ]; then
    echo "machine.sh: $name is degraded; failed units:" >&2
    nsenter -t "$leader" -a systemctl --no-pager --failed >&2 || true
  fi
  echo "machine.sh: $name running (nspawn $nspawn, PID 1 $leader)"
}

start_failed() {
  local name=$1 why=$2
  echo "machine.sh: machine $name failed to boot: $why; log:" >&2
  tail -n 40 "$STATE_ROOT/$name/machine.log" >&2 2>/dev/null || true
  cmd_stop "$name" >&2 || true
  exit 1
}

cmd_run() {
  local name=$1
  shift
  check_name "$name"
  [ "${1:-}" = -- ] && shift
  [ $# -gt 0 ] || die "run: no command"
  local state=$STATE_ROOT/$name mode reason
  reason=$(cannot_run_reason)
  if [ -n "$reason" ]; then
    echo "machine.sh: skipped: cannot boot a systemd machine here: $reason" >&2
    exit $SKIP
  fi
  mode=$(cat "$state/mode" 2>/dev/null) || die "machine $name is not started"
  [ "$mode" = direct ] && exec "$@"
  local leader
  leader=$(cat "$state/leader.pid" 2>/dev/null) || die "machine $name did not finish booting"
  if ! is_nspawn "$(cat "$state/nspawn.pid" 2>/dev/null)" || ! alive "$leader"; then
    die "machine $name is not running"
  fi
  # Join a cgroup inside the machine's tree first (as a login session would be), so that
  # what runs there sees itself inside the machine's cgroup namespace instead of at "/../..".
  local cgpath
  cgpath=$(sed -n 's/^0:://p' "/proc/$leader/cgroup" 2>/dev/null || true)
  if [ -n "$cgpath" ] && [ -d "/sys/fs/cgroup/unified${cgpath%/*}" ]; then
    local run_cg="/sys/fs/cgroup/unified${cgpath%/*}/podlet-run"
    mkdir -p "$run_cg" && echo $$ >"$run_cg/cgroup.procs" ||
      echo "machine.sh: could not join $run_cg; running from the host's cgroup" >&2
  fi
  # Entering the mount namespace moves the cwd to its root: go back to the caller's directory
  # when the machine has it (bound dirs), else stay at /.
  exec env -u INVOCATION_ID -u NOTIFY_SOCKET PODLET_MACHINE="$name" \
    nsenter -t "$leader" -a -- /bin/sh -c 'cd "$1" 2>/dev/null || cd /; shift; exec "$@"' \
    machine-run "$PWD" "$@"
}

cmd_stop() {
  local name=$1
  check_name "$name"
  local state=$STATE_ROOT/$name nspawn=""
  [ -f "$state/nspawn.pid" ] && nspawn=$(cat "$state/nspawn.pid")
  if is_nspawn "$nspawn"; then
    kill -TERM "$nspawn" 2>/dev/null || true
    for _ in $(seq 100); do is_nspawn "$nspawn" || break; sleep 0.1; done
    if is_nspawn "$nspawn"; then
      echo "machine.sh: $name did not stop in 10 s; killing it" >&2
      kill -KILL "$nspawn" 2>/dev/null || true
    fi
  fi
  # Whatever is left in the machine's cgroups (a killed nspawn's payload) goes too. Only
  # cgroups this state dir says we created: never kill in a cgroup we do not own.
  local cg
  if [ -d "$state" ]; then
    for cg in $(machine_cgroups "$name"); do
      [ -d "$cg" ] || continue
      if [ -e "$cg/cgroup.kill" ]; then
        echo 1 >"$cg/cgroup.kill" 2>/dev/null || true
      else
        find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null |
          while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done
      fi
    done
  fi
  for cg in $(machine_cgroups "$name"); do
    [ -d "$cg" ] || continue
    for _ in $(seq 50); do
      find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [ -d "$cg" ] || break
      sleep 0.1
    done
    [ -d "$cg" ] && echo "machine.sh: could not remove cgroup $cg" >&2
  done
  rm -rf "$state"
  rmdir "$STATE_ROOT" 2>/dev/null || true
  return 0
}

cmd_status() {
  local name=$1 state=$STATE_ROOT/$1 mode nspawn leader
  check_name "$name"
  mode=$(cat "$state/mode" 2>/dev/null) || { echo "$name: not started"; return 1; }
  [ "$mode" = machine ] || { echo "$name: $mode"; return 0; }
  nspawn=$(cat "$state/nspawn.pid" 2>/dev/null || true)
  leader=$(cat "$state/leader.pid" 2>/dev/null || true)
  echo "$name: machine nspawn=${nspawn:-?} leader=${leader:-?}"
  is_nspawn "$nspawn" && alive "$leader"
}

[ $# -ge 1 ] || usage
command=$1
shift
[ "$command" = list ] || [ $# -ge 1 ] || usage
case $command in
  list) [ -d "$STATE_ROOT" ] && ls -1 "$STATE_ROOT"; exit 0 ;;
  start) cmd_start "$@" ;;
  run) cmd_run "$@" ;;
  stop) [ $# -eq 1 ] || usage; cmd_stop "$1" ;;
  status) [ $# -eq 1 ] || usage; cmd_status "$1" ;;
  *) usage ;;
esac
