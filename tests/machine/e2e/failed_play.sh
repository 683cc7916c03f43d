#!/usr/bin/env bash
# A play that fails leaves nothing behind: a missing image (refused before any
# side effect), a container whose command does not exist (fails after the infra
# and another container started: rolled back), and an invalid manifest.
. "$(dirname "$0")/lib.sh"
use_namespace failplay
ensure_busybox

f=$(pod_manifest failplay noimage <<'YAML'
  containers:
    - name: app
      image: localhost/does-not-exist:1.0
      imagePullPolicy: Never
YAML
)
err=$(play_refused "$f")
grep -q "container app" <<<"$err" && grep -q "localhost/does-not-exist:1.0" <<<"$err" ||
  fail "the error does not name the container and the image: $err"
assert_clean failplay

f=$(pod_manifest failplay midway <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container good "$LOOP")
    - name: bad
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/no/such/program"]
YAML
)
err=$(play_refused "$f")
grep -q "container bad" <<<"$err" || fail "the error does not name the container: $err"
assert_clean failplay

f=$(pod_manifest failplay invalid <<'YAML'
  containers:
    - name: app
      image: localhost/busybox:latest
      workdir: /tmp
YAML
)
rc=0
err=$("$PODLET" play "$f" 2>&1) || rc=$?
[ $rc = 1 ] || fail "play of an invalid manifest returned $rc"
grep -q "invalid.yaml:[0-9]*:[0-9]*: spec.containers\[0\].workdir" <<<"$err" ||
  fail "no file:line:col diagnostic: $err"
assert_clean failplay
