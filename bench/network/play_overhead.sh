#!/usr/bin/env bash
# The time podlet's network setup adds to a pod start: `podlet play` of a
# 1-container pod on the bridge (veth, address, routes, IPAM, nft table, /etc/hosts
# registry) against the same pod with hostNetwork: true, in a throwaway systemd
# machine (contrib/machine.sh): several runs each, the two variants interleaved so
# the machine's load hits both alike, medians. Before each run the pod is taken
# down (`down --force`, not timed). Podman's `kube play` is measured the same way
# when podman is installed; otherwise the output says so.
#
#   bench/network/play_overhead.sh BUILD_DIR [RUNS]      (as root; default 15 runs)
#
# Inside the machine (PODLET_BENCH_INSIDE=1) it does the measuring itself.
set -euo pipefail

. "$(dirname "$0")/../in_machine.sh"
bench_in_machine net "${1:-}" "${2:-15}"

pod() {  # pod NAME HOSTNETWORK
  cat <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: bench
spec:
  hostNetwork: $2
  terminationGracePeriodSeconds: 1
  containers:
    - name: c
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
}
pod bridged false >"$work/bridged.yaml"
pod hostnet true >"$work/hostnet.yaml"

# One pod already on the bridge, so the timed runs measure the steady state (the
# bridge and the nft table exist); the first pod's extra cost is measured apart.
pod resident false >"$work/resident.yaml"

now_ns() { date +%s%N; }
# timed_play REMOVE PLAY...: ms of PLAY, after REMOVE took the pod down (not timed).
timed_play() {
  local remove=$1 t0 t1
  shift
  $remove >/dev/null 2>&1 || true
  t0=$(now_ns)
  "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }
  t1=$(now_ns)
  echo $(((t1 - t0) / 1000))  # microseconds
}
median() { sort -n | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m / 1000}'; }
# compare NAME REMOVE_A PLAY_A -- REMOVE_B PLAY_B: RUNS pairs, A and B interleaved so
# that load on the machine hits both alike; prints "medianA medianB median(A-B)" in ms.
compare() {
  local name=$1 ra=$2 pa=$3 rb=$4 pb=$5 i a b
  : >"$work/$name.a" && : >"$work/$name.b" && : >"$work/$name.d"
  for i in $(seq 1 "$RUNS"); do
    a=$(timed_play "$ra" $pa)
    b=$(timed_play "$rb" $pb)
    echo "$a" >>"$work/$name.a"
    echo "$b" >>"$work/$name.b"
    echo $((a - b)) >>"$work/$name.d"
  done
  $ra >/dev/null 2>&1 || true
  $rb >/dev/null 2>&1 || true
  echo "$(median <"$work/$name.a") $(median <"$work/$name.b") $(median <"$work/$name.d")"
}

echo "podlet play of a 1-container pod until Running: $RUNS runs each, interleaved, medians"
read -r first hostnet0 dfirst < <(compare first "$PODLET down --force bench/bridged" "$PODLET play $work/bridged.yaml" \
  "$PODLET down --force bench/hostnet" "$PODLET play $work/hostnet.yaml")
"$PODLET" play "$work/resident.yaml" >/dev/null
read -r bridged hostnet dsteady < <(compare steady "$PODLET down --force bench/bridged" "$PODLET play $work/bridged.yaml" \
  "$PODLET down --force bench/hostnet" "$PODLET play $work/hostnet.yaml")
"$PODLET" down --force bench/resident >/dev/null
printf '  hostNetwork: true:                          %8.2f ms  (%.2f ms in the first series)\n' "$hostnet" "$hostnet0"
printf '  pod network, another pod already running:   %8.2f ms  => network adds %.2f ms (median of pair differences)\n' \
  "$bridged" "$dsteady"
printf '  pod network, first pod (creates bridge/nft): %8.2f ms  => network adds %.2f ms\n' "$first" "$dfirst"

if command -v podman >/dev/null 2>&1; then
  unset INVOCATION_ID
  read -r pb ph pd < <(compare podman "podman pod rm -f -i bridged" "podman kube play $work/bridged.yaml" \
    "podman pod rm -f -i hostnet" "podman kube play $work/hostnet.yaml")
  printf '  podman kube play, hostNetwork: true:        %8.2f ms\n' "$ph"
  printf '  podman kube play, pod network:              %8.2f ms  => network adds %.2f ms\n' "$pb" "$pd"
else
  echo "  podman: not installed on this machine, no comparison (Debian 12: apt-get install podman)"
fi
