#!/usr/bin/env bash
# The main job: build podlet, then run the example pod.
# (Until the systemd issue lands: validate the example manifests and print them.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/build.sh build
./build/src/cli/podlet version
for f in manifests/*.yaml; do
  [ -e "$f" ] || continue
  echo "== $f"
  ./build/src/cli/podlet validate "$f" && cat "$f"
done
