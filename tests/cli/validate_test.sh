#!/usr/bin/env bash
# `podlet validate FILE...`: silent success (exit 0); errors and warnings as
# "file:line:col: path: message" on stderr, exit 1 on any error; `-o json` on stdout
# for tools; `-` reads stdin; unreadable files and bad command lines.
# shellcheck source=tests/cli/lib.bash
. "$(dirname "$0")/lib.bash"

# Valid manifests: silent, exit 0 (the examples, several files at once).
run "$podlet" validate "$src"/manifests/*.yaml
[ $rc = 0 ] && [ -z "$out" ] && [ -z "$err" ] || fail "valid examples: rc $rc, out '$out', err '$err'"

# Errors: file:line:col: path: message, one per line, exit 1.
cat >"$work/typo.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
    - name: app
      image: busybox
      workdir: /tmp
      volumeMount: []
YAML
run "$podlet" validate "$work/typo.yaml"
[ $rc = 1 ] || fail "invalid manifest: rc $rc"
[ -z "$out" ] || fail "errors went to stdout: $out"
grep -qxF "$work/typo.yaml:9:7: spec.containers[0].workdir: unknown field (did you mean workingDir?)" <<<"$err" ||
  fail "unknown field diagnostic: $err"
grep -qxF "$work/typo.yaml:10:7: spec.containers[0].volumeMount: unknown field (did you mean volumeMounts?)" <<<"$err" ||
  fail "second diagnostic: $err"
[ "$(wc -l <<<"$err")" = 2 ] || fail "expected exactly 2 diagnostics: $err"

# Validation rules (here a port out of range) are reported the same way.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox\n      ports: [{containerPort: 70000}]\n' >"$work/port.yaml"
run "$podlet" validate "$work/port.yaml"
[ $rc = 1 ] && grep -qE "^$work/port.yaml:9:[0-9]+: spec.containers\[0\]\.ports\[0\]\.containerPort: " <<<"$err" ||
  fail "port range: rc $rc: $err"

# A field in the wrong place is an unknown field too.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  restartPolicy: Never\nspec:\n  containers: [{name: c, image: busybox}]\n' >"$work/misplaced.yaml"
run "$podlet" validate "$work/misplaced.yaml"
[ $rc = 1 ] && grep -qxF "$work/misplaced.yaml:5:3: metadata.restartPolicy: unknown field" <<<"$err" ||
  fail "misplaced field: rc $rc: $err"

# Warnings only (a kind podlet does not run): printed, exit 0.
cat >"$work/service.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers: [{name: web, image: busybox}]
YAML
run "$podlet" validate "$work/service.yaml"
[ $rc = 0 ] || fail "warnings only: rc $rc: $err"
grep -qE "^$work/service.yaml:2:[0-9]+: kind: warning: kind Service .*not run" <<<"$err" || fail "Service warning: $err"

# -o json: every diagnostic with file, line, column, path, severity, message; "ok".
run "$podlet" validate -o json "$work/typo.yaml" "$work/service.yaml"
[ $rc = 1 ] || fail "-o json with errors: rc $rc"
[ -z "$err" ] || fail "-o json wrote to stderr: $err"
jq -e --arg f "$work/typo.yaml" '.ok == false and
  (.diagnostics | map(select(.file == $f and .severity == "error")) | length) == 2 and
  (.diagnostics[0] | .line == 9 and .column == 7 and .path == "spec.containers[0].workdir" and
     (.message | startswith("unknown field")))' <<<"$out" >/dev/null || fail "-o json errors: $out"
jq -e '.diagnostics | map(select(.severity == "warning" and (.message | contains("Service")))) | length == 1' \
  <<<"$out" >/dev/null || fail "-o json warning: $out"
run "$podlet" validate -o json "$src/manifests/hello.yaml"
[ $rc = 0 ] && jq -e '.ok == true and .diagnostics == []' <<<"$out" >/dev/null || fail "-o json valid: rc $rc: $out"

# stdin: "-" names the input in diagnostics.
rc=0
err=$("$podlet" validate - <"$work/typo.yaml" 2>&1 >/dev/null) || rc=$?
[ $rc = 1 ] && grep -qxF -- "-:9:7: spec.containers[0].workdir: unknown field (did you mean workingDir?)" <<<"$err" ||
  fail "stdin: rc $rc: $err"
rc=0
"$podlet" validate - <"$src/manifests/hello.yaml" || rc=$?
[ $rc = 0 ] || fail "valid stdin: rc $rc"

# Several files: every file's diagnostics, exit 1 if any has an error.
run "$podlet" validate "$src/manifests/hello.yaml" "$work/typo.yaml"
[ $rc = 1 ] && grep -q "^$work/typo.yaml:9:7:" <<<"$err" || fail "mixed files: rc $rc: $err"

# A file that cannot be read is an error naming it.
run "$podlet" validate "$work/missing.yaml"
[ $rc = 1 ] && grep -q "$work/missing.yaml" <<<"$err" && grep -qi "no such file" <<<"$err" ||
  fail "missing file: rc $rc: $err"

# YAML syntax errors and duplicate keys carry a position too.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec:\n  containers: [{name: c, image: busybox}]\n' >"$work/dup.yaml"
run "$podlet" validate "$work/dup.yaml"
[ $rc = 1 ] && grep -qE "^$work/dup.yaml:5:[0-9]+: metadata.name: .*" <<<"$err" || fail "duplicate key: rc $rc: $err"
printf 'apiVersion: v1\nkind: Pod\nmetadata: [\n' >"$work/syntax.yaml"
run "$podlet" validate "$work/syntax.yaml"
[ $rc = 1 ] && grep -qE "^$work/syntax.yaml:[0-9]+:[0-9]+: " <<<"$err" || fail "syntax error: rc $rc: $err"

# Bad command lines: exit 2.
run "$podlet" validate
[ $rc = 2 ] || fail "no file: rc $rc"
run "$podlet" validate -o yaml "$src/manifests/hello.yaml"
[ $rc = 2 ] || fail "-o yaml: rc $rc"
echo "validate_test: PASS"
