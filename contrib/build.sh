#!/usr/bin/env bash
# Installs the Debian packages podlet needs, then builds it into build/ (or $1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/install-deps.sh
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
