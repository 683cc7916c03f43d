#!/usr/bin/env bash
# persistentVolumeClaim: a named volume under PODLET_ROOT that outlives the pod. What a
# container writes is there after `down` and seen again by the next `play` and by
# `play --replace`; a claim mounted readOnly refuses writes.
. "$(dirname "$0")/lib.sh"
use_namespace pvc
ensure_busybox
store=$PODLET_ROOT/volumes/pvc_store
rm -rf "$store"
on_exit 'rm -rf "$store"'

f=$(manifest pvc <<YAML
apiVersion: v1
kind: Pod
metadata: {name: pvc, namespace: pvc}
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - {name: data, persistentVolumeClaim: {claimName: store}}
    - {name: ro, persistentVolumeClaim: {claimName: store, readOnly: true}}
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      volumeMounts:
        - {name: data, mountPath: /data}
        - {name: ro, mountPath: /ro}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
          echo "runs=\$(cat /data/runs 2>/dev/null | wc -l)"
          check "claim writable" sh -c 'echo x >>/data/runs'
          refused "readOnly claim refuses writes" touch /ro/new
          check "readOnly claim shows the same data" test -s /ro/runs
          echo "DONE \$(cat /data/runs | wc -l)"
          $LOOP
YAML
)

"$PODLET" play "$f" || fail "first play failed"
out=$(container_report pvc/pvc app 30 "DONE 1")
grep -qx "runs=0" <<<"$out" || fail "a new claim is not empty: $out"
down_clean pvc/pvc
[ "$(cat "$store/runs")" = x ] || fail "the claim's data did not survive down ($store)"

"$PODLET" play "$f" || fail "second play failed"
out=$(container_report pvc/pvc app 30 "DONE 2")
grep -qx "runs=1" <<<"$out" || fail "the second play does not see the first one's data: $out"

"$PODLET" play --replace "$f" || fail "play --replace failed"
out=$(container_report pvc/pvc app 30 "DONE 3")
grep -qx "runs=2" <<<"$out" || fail "play --replace does not see the earlier data: $out"
down_clean pvc/pvc
[ "$(wc -l <"$store/runs")" = 3 ] || fail "the claim does not hold three runs"
