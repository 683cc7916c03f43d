#!/usr/bin/env bash
# Workload kinds play as their pod template (named <name>-pod, as Podman does): a
# Deployment runs, a Job runs to completion and `play --wait` returns its exit
# status. `play --replace` replaces a running pod with a new instance.
. "$(dirname "$0")/lib.sh"
use_namespace kinds
ensure_busybox

f=$(manifest deploy <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: kinds}
data: {GREETING: hello from a deployment}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: kinds
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
        - name: web
          image: localhost/busybox:latest
          imagePullPolicy: Never
          envFrom: [{configMapRef: {name: web-config}}]
          command: ["/bin/sh", "-c", "echo $GREETING; trap 'exit 0' TERM; while :; do sleep 1; done"]
YAML
)
"$PODLET" play "$f" 2>"$E2E_WORK/play.err" || fail "play of a Deployment failed: $(cat "$E2E_WORK/play.err")"
[ "$(pod_phase kinds/web-pod)" = Running ] || fail "kinds/web-pod is not Running"
[ "$(pod_json kinds/web-pod | jq -r .metadata.labels.app)" = web ] || fail "the template's labels are not the pod's"
greeted() { "$PODLET" logs -c web kinds/web-pod | grep -qx "hello from a deployment"; }
wait_until 10 greeted || fail "the Deployment's pod did not get its ConfigMap env"

# --replace: a new instance of the pod (a new infra process), running again.
old=$(systemctl show -P InvocationID podlet-kinds_web-pod-infra.service)
"$PODLET" play --replace "$f" 2>"$E2E_WORK/play.err" || fail "play --replace failed: $(cat "$E2E_WORK/play.err")"
grep -q "replacing pod kinds/web-pod" "$E2E_WORK/play.err" || fail "play --replace did not say it replaced the pod"
new=$(systemctl show -P InvocationID podlet-kinds_web-pod-infra.service)
[ -n "$new" ] && [ "$new" != "$old" ] || fail "play --replace did not start a new infra ($old -> $new)"
[ "$(pod_phase kinds/web-pod)" = Running ] || fail "not Running after --replace"
"$PODLET" down "$f" || fail "down of the Deployment failed"

# A Job: runs to completion; play --wait returns its exit status and removes the pod.
job() {
  manifest "job$1" <<YAML
apiVersion: batch/v1
kind: Job
metadata:
  name: batch$1
  namespace: kinds
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: work
          image: localhost/busybox:latest
          imagePullPolicy: Never
          command: ["/bin/sh", "-c", "echo job $1 done; exit $1"]
YAML
}
rc=0
"$PODLET" play --wait - <"$(job 0)" || rc=$?
[ $rc = 0 ] || fail "a succeeding Job (manifest on stdin) returned $rc"
rc=0
"$PODLET" play --wait "$(job 5)" || rc=$?
[ $rc = 5 ] || fail "a Job exiting 5 returned $rc"
job_logged() { "$PODLET" logs kinds/batch5-pod | grep -q "job 5 done"; }
wait_until 10 job_logged || fail "the Job's output is not in the journal"
[ -z "$(pods_of kinds)" ] || fail "play --wait left pods: $(pods_of kinds)"
assert_clean kinds
