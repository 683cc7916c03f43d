#!/usr/bin/env bash
# The main job, on a fresh Debian 12 machine (as root): install the packages, build
# podlet, import a busybox image, play manifests/hello.yaml under systemd, show the
# pod running (`podlet ps`, its page, `podlet logs`), then take it down.
#
# podlet needs systemd as PID 1. Where PID 1 is something else (containers, CI
# sandboxes), the demo boots a throwaway systemd machine first (contrib/machine.sh:
# systemd-nspawn over an overlay of /, its own network namespace, nothing persists)
# and runs podlet inside it; the machine is torn down however the demo ends.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (podlet starts system units)" >&2; exit 1; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "install packages and build podlet"
bash contrib/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target podlet
podlet=$repo/build/src/cli/podlet
"$podlet" version

# Where podlet runs: directly when PID 1 is systemd, else in a throwaway machine.
machine=podlet-demo
inside() { bash contrib/machine.sh run "$machine" -- "$@"; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "${started:-}" ]; then
    inside "$podlet" down --force manifests/hello.yaml >/dev/null 2>&1 || true
    bash contrib/machine.sh stop "$machine" || true
  fi
  exit $rc
}
trap cleanup EXIT INT TERM

step "start systemd"
started=1
bash contrib/machine.sh start "$machine" --replace --bind "$repo"

step "import the busybox image (localhost/busybox:latest)"
inside bash contrib/make-busybox-image.sh "$podlet"

step "podlet play manifests/hello.yaml"
inside "$podlet" play manifests/hello.yaml

step "podlet ps"
inside "$podlet" ps

step "the pod's units"
inside systemctl list-units --no-pager --all 'podlet-default_hello*'

step "the page it serves"
ip=$(inside "$podlet" ps -o json | inside jq -r '.items[] | select(.metadata.name == "hello") | .status.podIP')
fetched=""
for _ in $(seq 50); do
  if fetched=$(inside curl -fsS --max-time 2 "http://$ip:8080/" 2>/dev/null); then break; fi
  sleep 0.2
done
echo "curl http://$ip:8080/ -> ${fetched:-(no answer)}"
[ "$fetched" = "hello from podlet" ] || { echo "demo.sh: the pod did not serve its page" >&2; exit 1; }

step "podlet logs hello"
inside "$podlet" logs hello

step "podlet down manifests/hello.yaml"
inside "$podlet" down manifests/hello.yaml
inside "$podlet" ps

step "done"
