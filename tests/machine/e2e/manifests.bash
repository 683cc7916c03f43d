# Builders of the end-to-end tests' pod manifests and the play/down steps every test
# repeats. Sourced by lib.sh (not a test itself: only *.sh files are registered).
# Most test pods are busybox containers running a shell script; the YAML they share
# is written once here:
#
#   f=$(pod_manifest NS NAME <<YAML
#     terminationGracePeriodSeconds: 2
#   $SHARED_VOLUME
#     containers:
#   $(busybox_container app "echo hello; $LOOP" "$SHARED_MOUNT")
#   YAML
#   )
#   play_ok "$f"
#   ...
#   down_clean NS/NAME

# pod_manifest NS NAME [FILE]: a Pod NAME in namespace NS whose spec (its lines
# indented by two) is stdin, as the file FILE.yaml (default NAME.yaml) in the test's
# work dir; prints its path.
pod_manifest() {
  {
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n' "$2" "$1"
    cat
  } | manifest "${3:-$2}"
}

# busybox_container NAME SCRIPT [LINE...]: an entry of a pod spec's containers or
# initContainers: the local busybox image (never pulled) running `/bin/sh -c SCRIPT`,
# and LINEs of that container (e.g. "restartPolicy: Always", "$SHARED_MOUNT").
# SCRIPT is written as a JSON string: YAML reads it back as it is.
busybox_container() {
  local line
  printf '    - name: %s\n      image: localhost/busybox:latest\n      imagePullPolicy: Never\n' "$1"
  printf '      command: ["/bin/sh", "-c", %s]\n' "$(jq -n --arg s "$2" '$s')"
  shift 2
  for line in "$@"; do printf '      %s\n' "$line"; done
}

# An emptyDir volume "shared" (lines of a pod spec) and a container's mount of it at /shared.
SHARED_VOLUME='  volumes:
    - name: shared
      emptyDir: {}'
SHARED_MOUNT='volumeMounts: [{name: shared, mountPath: /shared}]'

# play_ok [OPTION...] FILE: `podlet play`, which must succeed.
play_ok() { "$PODLET" play "$@" || fail "play $* failed"; }

# play_refused FILE: `podlet play`, which must fail; prints what it wrote (stdout and stderr).
play_refused() {
  local out rc=0
  out=$("$PODLET" play "$@" 2>&1) || rc=$?
  [ $rc != 0 ] || fail "play $* succeeded: $out"
  echo "$out"
}

# down_clean NS/NAME: `podlet down` of the pod, then nothing of namespace NS may be left.
down_clean() {
  "$PODLET" down "$1" || fail "down $1 failed"
  assert_clean "${1%%/*}"
}

# unit_is UNIT PROPERTY VALUE: systemd's PROPERTY of UNIT is VALUE (`systemctl show`).
unit_is() {
  local v
  v=$(systemctl show -P "$2" "$1")
  [ "$v" = "$3" ] || fail "$1: $2 is '$v', not '$3'"
}

# remove_generated_units_on_exit POD_ID: when the test ends (before lib.sh's cleanup, with
# the test's exit status passed on), the unit files listed in the array `generated` are
# disabled, stopped and removed, and the pod's generated specs (POD_ID: NS_NAME) go too.
remove_generated_units_on_exit() {
  GENERATED_POD_ID=$1
  trap 'rc=$?; set +e; remove_generated_units; (exit $rc); cleanup' EXIT
}
remove_generated_units() {
  local u
  for u in "${generated[@]}"; do
    systemctl disable "$(basename "$u")" >/dev/null 2>&1 || true
    systemctl stop "$(basename "$u")" >/dev/null 2>&1 || true
    rm -f "$u"
  done
  systemctl daemon-reload
  systemctl reset-failed "podlet-${GENERATED_POD_ID}*" 2>/dev/null || true
  rm -rf "${PODLET_ROOT:?}/pods/$GENERATED_POD_ID"
}
