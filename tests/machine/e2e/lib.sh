# Shared helpers of the end-to-end tests. Sourced by each test script, which runs
# inside the throwaway systemd machine (tests/machine, contrib/machine.sh) as root.
#
# Environment (set by CMakeLists.txt): PODLET (the binary), PODLET_SOURCE_DIR.
# Every test uses its own Kubernetes namespace (E2E_NS) so that what it checks
# ("nothing left of the pod") cannot be confused with another test's pods, and a
# trap takes down whatever the test played, even when it fails.
set -euo pipefail

: "${PODLET:?PODLET must name the podlet binary}"
: "${PODLET_SOURCE_DIR:?}"
export PODLET_ROOT=${PODLET_ROOT:-/var/lib/podlet-test/e2e}
export PODLET_RUNROOT=${PODLET_RUNROOT:-/run/podlet-test/e2e}
E2E_NAME=$(basename "$0" .sh)
E2E_WORK=$(mktemp -d)

log() { echo "e2e[$E2E_NAME]: $*" >&2; }
fail() {
  log "FAIL: $*"
  exit 1
}

# Pods of namespace $1 (every pod when empty) as NS/NAME, from podlet's state.
pods_of() {
  "$PODLET" ps -o json | jq -r --arg ns "${1:-}" \
    '.items[] | select($ns == "" or .metadata.namespace == $ns) | .metadata.namespace + "/" + .metadata.name'
}

cleanup() {
  local rc=$? p
  for ns in "${E2E_NAMESPACES[@]}"; do
    for p in $(pods_of "$ns" 2>/dev/null); do "$PODLET" down --force "$p" >/dev/null 2>&1 || true; done
  done
  rm -rf "$E2E_WORK"
  [ $rc = 0 ] && log "PASS"
  exit $rc
}
E2E_NAMESPACES=()
trap cleanup EXIT

# use_namespace NS: this test's pods live in NS (cleaned up on exit).
use_namespace() { E2E_NAMESPACES+=("$1"); }

# wait_until SECONDS CMD...: polls CMD every 0.2 s until it succeeds.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# The busybox image, imported once per machine into the shared e2e store.
ensure_busybox() {
  "$PODLET" image inspect localhost/busybox:latest >/dev/null 2>&1 ||
    bash "$PODLET_SOURCE_DIR/contrib/make-busybox-image.sh" "$PODLET" >/dev/null
}

# pod_json NS/NAME: the pod's Kubernetes-shaped status.
pod_json() { "$PODLET" ps -o json | jq -e --arg k "$1" '.items[] | select(.metadata.namespace + "/" + .metadata.name == $k)'; }
pod_phase() { pod_json "$1" | jq -r .status.phase; }
restart_count() { pod_json "$1" | jq -r --arg c "$2" '.status.containerStatuses[] | select(.name == $c) | .restartCount'; }

# Loaded systemd units of namespace $1 (plain or with '-' escaped in the slice name).
units_of_namespace() {
  local ns=$1 esc=${1//-/\\x2d}
  systemctl list-units --all --plain --no-legend 'podlet-*' | awk '{print $1}' |
    grep -F -e "podlet-${ns}_" -e "podlet-${esc}_" || true
}

# assert_clean NS: nothing of namespace NS is left: units, state, data, mounts, processes.
assert_clean() {
  local ns=$1 left
  left=$(units_of_namespace "$ns")
  [ -z "$left" ] || fail "units left in namespace $ns: $left"
  left=$(ls -d "$PODLET_RUNROOT"/pods/"${ns}"_* "$PODLET_ROOT"/pods/"${ns}"_* 2>/dev/null || true)
  [ -z "$left" ] || fail "state left in namespace $ns: $left"
  left=$(grep -F -e "$PODLET_RUNROOT/pods/${ns}_" -e "$PODLET_ROOT/pods/${ns}_" /proc/self/mountinfo || true)
  [ -z "$left" ] || fail "mounts left in namespace $ns: $left"
  left=$(grep -l -F "/podlet-${ns}_" /proc/[0-9]*/cgroup 2>/dev/null || true)
  [ -z "$left" ] || fail "processes left in namespace $ns: $left"
}

# A pod manifest on stdin -> a file in the test's work dir; prints its path.
manifest() {
  local f="$E2E_WORK/$1.yaml"
  cat >"$f"
  echo "$f"
}

# A container script that stops at once on SIGTERM (PID 1 ignores it without a trap).
LOOP='trap "exit 0" TERM; while :; do sleep 1; done'
