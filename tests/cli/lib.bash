# Shared preamble of the command-line tests, sourced by each NAME_test.sh (not a
# test itself: only *_test.sh files are registered, see CMakeLists.txt).
# Arguments of the sourcing script: PODLET_BINARY SOURCE_DIR.
set -euo pipefail
podlet=${1:?usage: $0 PODLET_BINARY SOURCE_DIR}
src=${2:?}
cli_test=$(basename "$0" .sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "$cli_test: FAIL: $*" >&2
  exit 1
}
# run CMD...: sets rc, out (stdout), err (stderr).
run() {
  rc=0
  "$@" >"$work/out" 2>"$work/err" || rc=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
}
