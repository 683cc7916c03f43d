#!/usr/bin/env bash
# The command line as documented in the README, without systemd: every subcommand
# has help (exit 0); bad command lines exit 2; `play --dry-run` validates, plans and
# prints the plan (-o json) without starting or writing anything; a manifest error
# or a missing image fails play (exit 1, or 125 with --wait) before any side effect.
# No subcommand answers "not implemented yet" any more.
# shellcheck source=tests/cli/lib.bash
. "$(dirname "$0")/lib.bash"

for sub in version validate play down ps logs exec inspect generate "generate systemd" image; do
  # shellcheck disable=SC2086
  run "$podlet" $sub --help
  [ $rc = 0 ] || fail "podlet $sub --help: rc $rc: $err"
  ! grep -qi "not implemented" <<<"$out$err" || fail "podlet $sub --help mentions 'not implemented'"
done
run "$podlet" version
[ $rc = 0 ] && grep -qE '^podlet [0-9]+\.[0-9]+' <<<"$out" || fail "version: $out"

# Bad command lines: 2.
for args in "" "nosuchcommand" "play" "exec web" "logs" "ps -o yaml" "down" "play --nosuchflag x.yaml"; do
  # shellcheck disable=SC2086
  run "$podlet" $args
  [ $rc = 2 ] || fail "podlet $args: rc $rc, expected 2"
done

# From here on podlet uses a private store: its own root and runroot.
export PODLET_ROOT=$work/root PODLET_RUNROOT=$work/run

# An invalid manifest fails play before anything happens: 1, or 125 with --wait.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers: [{name: c, image: busybox, workdir: /}]\n' >"$work/bad.yaml"
run "$podlet" play "$work/bad.yaml"
[ $rc = 1 ] && grep -q "bad.yaml:5:[0-9]*: spec.containers\[0\].workdir: unknown field" <<<"$err" ||
  fail "play of an invalid manifest: rc $rc: $err"
run "$podlet" play --wait "$work/bad.yaml"
[ $rc = 125 ] || fail "play --wait of an invalid manifest: rc $rc (podlet's own failures are 125)"
run "$podlet" play --dry-run - <"$work/bad.yaml"
[ $rc = 1 ] && grep -q "^-:5:" <<<"$err" || fail "play --dry-run - of an invalid manifest: rc $rc: $err"

if [ "$(id -u)" != 0 ]; then
  echo "commands_test: the rest needs root (image import); skipped" >&2
  exit 77
fi
bash "$src/contrib/make-busybox-image.sh" "$podlet" >/dev/null

# A missing image: exit 1 naming the container and the image, nothing written.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: noimg}\nspec:\n  containers: [{name: app, image: localhost/nope:1, imagePullPolicy: Never}]\n' >"$work/noimg.yaml"
run "$podlet" play --dry-run "$work/noimg.yaml"
[ $rc = 1 ] && grep -q "container app" <<<"$err" && grep -q "localhost/nope:1" <<<"$err" ||
  fail "missing image: rc $rc: $err"

# --dry-run -o json: the plan of every pod, nothing started or written.
run "$podlet" play --dry-run -o json "$src/manifests/hello.yaml"
[ $rc = 0 ] || fail "play --dry-run -o json: rc $rc: $err"
jq -e '
  length == 1 and .[0].name == "hello" and .[0].namespace == "default" and
  .[0].slice.name == "podlet-default_hello.slice" and
  .[0].infra_unit.name == "podlet-default_hello-infra.service" and .[0].infra_unit.type == "notify" and
  (.[0].containers | length) == 1 and .[0].containers[0].unit.name == "podlet-default_hello_web.service" and
  .[0].containers[0].unit.memory_max == 67108864 and .[0].containers[0].unit.cpu_quota_per_sec_usec == 250000 and
  .[0].containers[0].spec.process.args[0] == "/bin/sh" and
  (.[0].containers[0].spec.root.lower_dirs | length) == 1' <<<"$out" >/dev/null || fail "dry-run plan: $out"
[ ! -e "$PODLET_RUNROOT/pods" ] || [ -z "$(ls -A "$PODLET_RUNROOT/pods")" ] || fail "--dry-run wrote pod state"
# The table form lists the units.
run "$podlet" play --dry-run "$src/manifests/init-container.yaml"
[ $rc = 0 ] && grep -q "dry run: nothing started" <<<"$out" && grep -q "podlet-default_with\\\\x2dinit.slice" <<<"$out" &&
  grep -q "podlet-default_with-init_prepare.service" <<<"$out" || fail "dry-run table: rc $rc: $out"
# Workload kinds: the pod template, named <name>-pod.
cat >"$work/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: localhost/busybox:latest, imagePullPolicy: Never, command: [httpd, -f]}]
YAML
run "$podlet" play --dry-run -o json "$work/deploy.yaml"
[ $rc = 0 ] && jq -e '.[0].name == "web-pod" and .[0].labels.app == "web"' <<<"$out" >/dev/null ||
  fail "dry-run of a Deployment: rc $rc: $out $err"

# State-reading commands on a pod that does not exist: 1 with a message.
for args in "inspect nosuch" "exec nosuch -- true" "logs nosuch"; do
  # shellcheck disable=SC2086
  run "$podlet" $args
  [ $rc = 1 ] && grep -qi "not found" <<<"$err" || fail "podlet $args: rc $rc: $err"
done
# podlet without podlet-runtime beside it: refused before anything is written.
mkdir "$work/alone"
cp "$podlet" "$work/alone/podlet"
run "$work/alone/podlet" generate systemd --output-dir "$work/alone" "$src/manifests/hello.yaml"
[ $rc = 1 ] && grep -q "podlet-runtime is not installed next to podlet" <<<"$err" || fail "generate without podlet-runtime: rc $rc: $err"
[ "$(ls "$work/alone")" = podlet ] || fail "generate without podlet-runtime wrote: $(ls "$work/alone")"
echo "commands_test: PASS"
