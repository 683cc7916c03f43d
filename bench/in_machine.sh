# Sourced by benchmarks that time podlet under systemd. On the host (first call),
# `bench_in_machine NAME BUILD_DIR RUNS` boots a throwaway systemd machine
# (contrib/machine.sh), runs the sourcing script again inside it with
# PODLET_BENCH_INSIDE=1, tears the machine down and exits. Inside, it returns at
# once, having exported PODLET_ROOT/RUNROOT for NAME, made $work (removed on exit)
# and imported the busybox image.
bench_in_machine() {
  local name=$1 script
  script=$(realpath "$0")
  if [ "${PODLET_BENCH_INSIDE:-}" != 1 ]; then
    local build
    build=$(realpath "${2:?usage: $(basename "$0") BUILD_DIR [RUNS]}")
    BENCH_SRC=$(realpath "$(dirname "${BASH_SOURCE[0]}")/..")
    BENCH_MACHINE=podlet-bench-$name-$$
    [ -x "$build/src/cli/podlet" ] || { echo "no $build/src/cli/podlet: build the podlet target" >&2; exit 1; }
    trap '"$BENCH_SRC/contrib/machine.sh" stop "$BENCH_MACHINE" >/dev/null 2>&1 || true' EXIT
    "$BENCH_SRC/contrib/machine.sh" start "$BENCH_MACHINE" --bind "$BENCH_SRC" --bind "$build" >/dev/null
    PODLET_BENCH_INSIDE=1 PODLET="$build/src/cli/podlet" PODLET_SOURCE_DIR="$BENCH_SRC" RUNS=$3 \
      "$BENCH_SRC/contrib/machine.sh" run "$BENCH_MACHINE" -- /bin/bash "$script"
    exit
  fi
  : "${PODLET:?}" "${PODLET_SOURCE_DIR:?}" "${RUNS:?}"
  export PODLET_ROOT=/var/lib/podlet-test/bench-$name PODLET_RUNROOT=/run/podlet-test/bench-$name
  work=$(mktemp -d -p /var/lib/podlet-test)
  trap 'rm -rf "$work"' EXIT
  "$PODLET" image inspect localhost/busybox:latest >/dev/null 2>&1 ||
    bash "$PODLET_SOURCE_DIR/contrib/make-busybox-image.sh" "$PODLET" >/dev/null
}
