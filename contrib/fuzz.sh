#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz and runs each one for a short
# while (FUZZ_SECONDS, default 30) starting from the committed manifest corpus.
# Crashes are written to build-fuzz/artifacts/ and make this script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
build=build-fuzz
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DPODLET_FUZZ=ON -DPODLET_TESTS=OFF -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target fuzz_manifest fuzz_quantity_expand

mkdir -p "$build/artifacts"
for target in fuzz_manifest fuzz_quantity_expand; do
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "fuzz: $target for ${seconds}s"
  # New inputs go to the scratch dir first; the committed corpus is only read.
  "$build/tests/fuzz/$target" "$work" tests/corpus manifests \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/artifacts/$target-" -print_final_stats=1 2>&1 | tail -n 15
  rm -rf "$work"
  trap - EXIT
done
