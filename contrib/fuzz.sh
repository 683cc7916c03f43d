#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz and runs each one for a short
# while (FUZZ_SECONDS, default 30) starting from the committed corpora (manifests;
# image documents in tests/fuzz/image_corpus; layer tars made here from a small tree).
# Crashes are written to build-fuzz/artifacts/ and make this script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
build=build-fuzz
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DPODLET_FUZZ=ON -DPODLET_TESTS=OFF -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target fuzz_manifest fuzz_quantity_expand fuzz_image_docs fuzz_image_layer \
  fuzz_grpc_wire

# Seed layers for fuzz_image_layer: plain, gzip and xz tars of a tree with a symlink,
# a hardlink and whiteouts.
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds/tree/etc" "$seeds/tree/dir" "$seeds/layers"
echo "root:x:0:0::/:/bin/sh" >"$seeds/tree/etc/passwd"
ln -s ../etc/passwd "$seeds/tree/dir/link"
ln "$seeds/tree/etc/passwd" "$seeds/tree/dir/hard"
touch "$seeds/tree/.wh.gone" "$seeds/tree/dir/.wh..wh..opq"
tar --numeric-owner -C "$seeds/tree" -cf "$seeds/layers/plain.tar" .
gzip -c "$seeds/layers/plain.tar" >"$seeds/layers/layer.tar.gz"
xz -c "$seeds/layers/plain.tar" >"$seeds/layers/layer.tar.xz" 2>/dev/null || true

mkdir -p "$build/artifacts"
run_target() {
  local target=$1 max_len=$2
  shift 2
  local work
  work="$(mktemp -d)"
  echo "fuzz: $target for ${seconds}s"
  # New inputs go to the scratch dir first; the committed corpus is only read.
  "$build/tests/fuzz/$target" "$work" "$@" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/artifacts/$target-" -print_final_stats=1 2>&1 | tail -n 15
  local rc=${PIPESTATUS[0]}
  rm -rf "$work"
  return "$rc"
}
run_target fuzz_manifest 65536 tests/corpus manifests
run_target fuzz_quantity_expand 65536 tests/corpus manifests
run_target fuzz_image_docs 65536 tests/fuzz/image_corpus
run_target fuzz_image_layer 1048576 "$seeds/layers"
run_target fuzz_grpc_wire 4096
