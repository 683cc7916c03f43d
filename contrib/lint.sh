#!/usr/bin/env bash
# Checks of the source that the compiler does not make: no function in src/ over
# 80 lines (clang-tidy's readability-function-size, headers included). Needs a
# configured build dir for its compile_commands.json (default: build).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
src=$(pwd)/src
config="{Checks: '-*,readability-function-size', WarningsAsErrors: '*',
  CheckOptions: [{key: readability-function-size.LineThreshold, value: 80},
                 {key: readability-function-size.StatementThreshold, value: 1000000}]}"
# Each file once; a failure anywhere fails the run (xargs exits 123).
find src -name '*.cc' -print0 | sort -z |
  xargs -0 -P "$(nproc)" -n 8 clang-tidy -p "$build_dir" --quiet --header-filter="^$src/" \
    --config="$config" 2> >(grep -v -E '^[0-9]+ warnings? generated|^Suppressed|^Use -header-filter' >&2)
echo "lint: no function in src/ over 80 lines"
