#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every test podlet has:
# the lint (contrib/lint.sh), unit + integration tests (integration needs root), the tests that boot a
# throwaway systemd machine, the sanitizer build of the unit tests, and a short
# fuzzing run of the manifest parser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/build.sh build
bash contrib/lint.sh build
ctest --test-dir build --output-on-failure --timeout 600

# ASan/UBSan build of the unit tests.
bash contrib/build.sh build-asan -DPODLET_SANITIZE=ON
ctest --test-dir build-asan --output-on-failure -L unit --timeout 600

# Fuzzers (libFuzzer needs clang): a short run each, from the committed corpus.
if [ -x contrib/fuzz.sh ]; then bash contrib/fuzz.sh; fi
