#!/usr/bin/env bash
# `podlet play` -> running and `podlet down` latency for a 1- and a 3-container pod,
# in a throwaway systemd machine (contrib/machine.sh): RUNS plays and downs of each,
# medians and the slowest run. `play` returns once every container's unit reported
# READY (its workload exec'd); `down` once the slice stopped and the state is gone.
# Podman's `kube play` / `pod rm` of the same manifests are timed alike when podman
# is installed.
#
#   bench/play/play_latency.sh BUILD_DIR [RUNS]      (as root; default 15 runs)
#
# Inside the machine (PODLET_BENCH_INSIDE=1) it does the measuring itself.
set -euo pipefail

. "$(dirname "$0")/../in_machine.sh"
bench_in_machine play "${1:-}" "${2:-15}"

pod() {  # pod NAME CONTAINERS
  cat <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: bench
spec:
  terminationGracePeriodSeconds: 2
  containers:
YAML
  local i
  for i in $(seq 1 "$2"); do
    cat <<YAML
    - name: c$i
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
  done
}
pod one 1 >"$work/one.yaml"
pod three 3 >"$work/three.yaml"

now_us() { echo $(($(date +%s%N) / 1000)); }
stats() {  # stdin: microseconds, one per line -> "median max" in ms
  sort -n | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "%.1f %.1f", m / 1000, v[NR] / 1000}'
}
# measure PLAY DOWN: RUNS cycles; prints "play_median play_max down_median down_max".
measure() {
  local play=$1 down=$2 i t0
  : >"$work/play" && : >"$work/down"
  for i in $(seq 1 "$RUNS"); do
    t0=$(now_us)
    $play >/dev/null || { echo "failed: $play" >&2; exit 1; }
    echo $(($(now_us) - t0)) >>"$work/play"
    t0=$(now_us)
    $down >/dev/null || { echo "failed: $down" >&2; exit 1; }
    echo $(($(now_us) - t0)) >>"$work/down"
  done
  echo "$(stats <"$work/play") $(stats <"$work/down")"
}

echo "podlet: $RUNS runs each, medians (slowest run in parentheses)"
# One pod first, untimed: the bridge and nft table exist for every timed run.
"$PODLET" play "$work/one.yaml" >/dev/null && "$PODLET" down bench/one >/dev/null
for n in one three; do
  read -r pm px dm dx < <(measure "$PODLET play $work/$n.yaml" "$PODLET down bench/$n")
  printf '  %-5s container(s): play -> running %8.1f ms (%.1f)   down %8.1f ms (%.1f)\n' \
    "$([ $n = one ] && echo 1 || echo 3)" "$pm" "$px" "$dm" "$dx"
done

if command -v podman >/dev/null 2>&1; then
  unset INVOCATION_ID
  echo "podman kube play / pod rm -f, the same manifests:"
  for n in one three; do
    read -r pm px dm dx < <(measure "podman kube play $work/$n.yaml" "podman pod rm -f -t 2 $n")
    printf '  %-5s container(s): play -> running %8.1f ms (%.1f)   down %8.1f ms (%.1f)\n' \
      "$([ $n = one ] && echo 1 || echo 3)" "$pm" "$px" "$dm" "$dx"
  done
else
  echo "podman: not installed on this machine, no comparison (Debian 12: apt-get install podman)"
fi
