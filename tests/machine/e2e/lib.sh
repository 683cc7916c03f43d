# Shared helpers of the end-to-end tests. Sourced by each test script, which runs
# inside the throwaway systemd machine (tests/machine, contrib/machine.sh) as root.
#
# Environment (set by CMakeLists.txt): PODLET (the binary), PODLET_SOURCE_DIR.
# Every test uses its own Kubernetes namespace (E2E_NS) so that what it checks
# ("nothing left of the pod") cannot be confused with another test's pods, and a
# trap takes down whatever the test played, even when it fails.
# No pipefail: assertions are pipelines that end in `grep -q`, which exits at the
# first match; the writer then dies of SIGPIPE and pipefail would turn a match
# into a failure (seen with `ip ... | grep -q` and `podlet logs | grep -q`).
set -eu

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

# ---- Helpers of the volume and hostile-input tests (volumes_*.sh, hostile_*.sh) ----

# on_exit CMD: CMD also runs when the test ends (before the pods are taken down).
E2E_ON_EXIT=()
on_exit() {
  E2E_ON_EXIT+=("$1")
  trap 'e2e_rc=$?; for c in "${E2E_ON_EXIT[@]}"; do eval "$c" >/dev/null 2>&1 || true; done; (exit $e2e_rc); cleanup' EXIT
}

# busybox_rootfs DIR: a minimal busybox root filesystem in DIR (no /proc, /dev, /sys:
# hostile tests put their own links there).
busybox_rootfs() {
  local root=$1 applet
  mkdir -p "$root"/{bin,etc,tmp,root}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

# oci_image ROOTFS NAME [CONFIG]: loads ROOTFS as a one-layer image NAME through an OCI
# layout whose image config is CONFIG (a JSON object: Env, User, WorkingDir, ...).
oci_image() {
  local root=$1 name=$2 config=${3:-'{}'} layout digest size
  layout=$(mktemp -d "$E2E_WORK/oci.XXXXXX")
  mkdir -p "$layout/blobs/sha256"
  blob() { # blob FILE -> moves FILE into the layout, prints its digest and size
    digest=$(sha256sum "$1" | cut -d' ' -f1)
    size=$(stat -c %s "$1")
    mv "$1" "$layout/blobs/sha256/$digest"
  }
  tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$layout/layer" .
  blob "$layout/layer"
  local layer_digest=$digest layer_size=$size
  jq -n --arg diff "sha256:$layer_digest" --argjson c "$config" --arg arch "$(dpkg --print-architecture)" \
    '{architecture: $arch, os: "linux",
      config: ({Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]} + $c),
      rootfs: {type: "layers", diff_ids: [$diff]}}' >"$layout/config"
  blob "$layout/config"
  jq -n --arg c "sha256:$digest" --argjson cs "$size" --arg l "sha256:$layer_digest" --argjson ls "$layer_size" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
      layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l, size: $ls}]}' >"$layout/manifest"
  blob "$layout/manifest"
  jq -n --arg m "sha256:$digest" --argjson ms "$size" --arg n "$name" \
    '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m,
      size: $ms, annotations: {"org.opencontainers.image.ref.name": $n}}]}' >"$layout/index.json"
  echo '{"imageLayoutVersion": "1.0.0"}' >"$layout/oci-layout"
  "$PODLET" image rm "$name" >/dev/null 2>&1 || true
  "$PODLET" image load "$layout" --name "$name" >/dev/null
}

# Host paths that hostile images and containers aim their links at. They live in the
# machine (discarded with it) and must look exactly the same after the test.
VICTIM=/podlet-victim-$E2E_NAME
VICTIM_TMP=/tmp/podlet-victim-$E2E_NAME
victim_state() {
  find "$VICTIM" "$VICTIM_TMP" -printf '%p %y %m %s %T@\n' 2>/dev/null | sort
  grep -F -e "$VICTIM" -e "$VICTIM_TMP" /proc/self/mountinfo || true
}
victim_setup() {
  rm -rf "$VICTIM" "$VICTIM_TMP"
  mkdir -p "$VICTIM" "$VICTIM_TMP"
  echo canary >"$VICTIM/canary"
  echo canary >"$VICTIM_TMP/canary"
  on_exit 'rm -rf "$VICTIM" "$VICTIM_TMP"'
  VICTIM_BEFORE=$(victim_state)
}
assert_victim_untouched() {
  local now
  now=$(victim_state)
  [ "$now" = "$VICTIM_BEFORE" ] || fail "host paths outside the container changed ($*):
before:
$VICTIM_BEFORE
after:
$now"
}

# container_report NS/POD CONTAINER [SECONDS] [LAST-LINE]: waits until the container's
# log has the line LAST-LINE (default "DONE"; tests that play a pod again make it
# unique per play), fails when it has a line starting "FAIL", prints the log.
container_report() {
  local out deadline=$((SECONDS + ${3:-30}))
  while :; do
    out=$("$PODLET" logs -c "$2" "$1" 2>&1 || true)
    grep -qx -- "${4:-DONE}" <<<"$out" && break
    [ $SECONDS -lt $deadline ] || fail "container $2 of $1 did not report ${4:-DONE}: $out"
    sleep 0.3
  done
  ! grep -q '^FAIL' <<<"$out" || fail "container $2 of $1 reports:
$out"
  echo "$out"
}

# CHECKS: a shell prelude for container scripts: `check NAME CMD...` prints "ok: NAME"
# or "FAIL: NAME" (`refused NAME CMD...`: the command must fail).
# One line, so that it can be expanded into an indented YAML block.
CHECKS='check() { n=$1; shift; if "$@" >/dev/null 2>&1; then echo "ok: $n"; else echo "FAIL: $n"; fi; }; refused() { n=$1; shift; if "$@" >/dev/null 2>&1; then echo "FAIL: $n (not refused)"; else echo "ok: $n"; fi; }'

# exe_attack_image NAME: the image of the /proc/self/exe class of tests (hostile_*exe*.sh):
# busybox, the shared libraries podlet's binary needs (so that it can run inside), and
# the attacker's helper /bin/exeprobe PID [FIFO], built with the host's C compiler. It
# holds /proc/PID/exe as O_PATH, lets the victim go (a write to FIFO), waits until it is
# gone, then reopens the binary for writing (never writing anything). It prints
# "WRITABLE: ..." and exits 1 when the escape works, "refused: ..." or "unreachable: ..."
# and exits 0 when it does not (a binary still busy must sit on a read-only view).
exe_attack_image() {
  local root=$E2E_WORK/exe-root lib
  command -v cc >/dev/null || fail "a C compiler is needed to build the attacker's helper"
  cat >"$E2E_WORK/exeprobe.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char** argv) {
  if (argc < 2) return 2;
  char path[64];
  snprintf(path, sizeof path, "/proc/%s/exe", argv[1]);
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) {
    printf("unreachable: %s: %s\n", path, strerror(errno));
    return 0;
  }
  if (argc > 2) {
    int fifo = open(argv[2], O_WRONLY);
    if (fifo < 0 || write(fifo, "x\n", 2) != 2) {
      printf("error: cannot release the victim: %s\n", strerror(errno));
      return 2;
    }
    close(fifo);
  }
  /* Wait until the victim is gone (reaped, or a zombie without its binary). */
  char stat_path[64], stat[256];
  snprintf(stat_path, sizeof stat_path, "/proc/%s/stat", argv[1]);
  for (int i = 0; argc > 2 && i < 600; ++i) {
    FILE* f = fopen(stat_path, "r");
    if (!f) break;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = 0;
    char* state = strrchr(stat, ')');
    if (state && state[1] == ' ' && state[2] == 'Z') break;
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  char self[64];
  snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
  int w = open(self, O_WRONLY | O_CLOEXEC);
  if (w >= 0) {
    printf("WRITABLE: %s reopened for writing\n", path);
    return 1;
  }
  if (errno != ETXTBSY) {
    printf("refused: %s\n", strerror(errno));
    return 0;
  }
  /* Busy: the same binary still runs somewhere (podlet's other processes). Once
     it does not, only the view it runs from stands between it and a writer. */
  int r = open(self, O_RDONLY | O_CLOEXEC);
  struct statvfs vfs;
  if (r >= 0 && fstatvfs(r, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
    printf("refused: busy, and on a read-only mount\n");
    return 0;
  }
  if (r >= 0 && fcntl(r, F_GET_SEALS) >= 0 && (fcntl(r, F_GET_SEALS) & F_SEAL_WRITE)) {
    printf("refused: busy, and a sealed copy\n");
    return 0;
  }
  printf("WRITABLE: %s is busy now but on a writable file system\n", path);
  return 1;
}
C
  cc -static -O2 -o "$E2E_WORK/exeprobe" "$E2E_WORK/exeprobe.c" || fail "cannot build the helper"
  busybox_rootfs "$root"
  cp "$E2E_WORK/exeprobe" "$root/bin/exeprobe"
  for lib in $(ldd "$PODLET" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  oci_image "$root" "$1"
  on_exit '"$PODLET" image rm '"$1"
}

# exe_attack_begin NS: the setup of the /proc/self/exe tests (hostile_*exe*.sh): the
# test's namespace NS, the attack image localhost/hostile-exe:1 (exe_attack_image), and
# the checksums of podlet's binaries (podlet and the podlet-runtime beside it) before the attack.
exe_attack_sums() { cat "$PODLET" "$(dirname "$PODLET")/podlet-runtime" | sha256sum; }
exe_attack_begin() {
  use_namespace "$1"
  exe_attack_image localhost/hostile-exe:1
  EXE_ATTACK_BEFORE=$(exe_attack_sums)
}

# exe_attack_end NS/POD: the attack's verdict: the pod's container "attacker" reports
# DONE and no FAIL line, podlet's binaries are unchanged, and the pod goes without a trace.
exe_attack_end() {
  local out
  out=$(container_report "$1" attacker 60)
  log "attacker: $(tr '\n' ' ' <<<"$out")"
  [ "$(exe_attack_sums)" = "$EXE_ATTACK_BEFORE" ] || fail "podlet's or podlet-runtime's binary changed"
  down_clean "$1"
}

# FIND_VICTIM: a shell prelude for the attacker's script (one line, like CHECKS):
# `find_victim FIFO [TRIES]` sets victim to the pid of the process that runs podlet's
# binary as `/proc/self/exe internal container --spec FIFO`, looking every 0.1 s, at
# most TRIES times (without TRIES until it appears); victim stays empty when it never does.
FIND_VICTIM='find_victim() { victim=; i=0; while [ -z "$victim" ]; do [ -z "${2:-}" ] || [ $i -lt "$2" ] || return 0; for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline 2>/dev/null | grep -q "^/proc/self/exe internal container --spec $1" && victim=${p#/proc/}; done; i=$((i+1)); sleep 0.1; done; }'

# Builders of pod manifests and the play/down steps (pod_manifest, busybox_container, play_ok, down_clean, ...).
. "$(dirname "${BASH_SOURCE[0]}")/manifests.bash"
