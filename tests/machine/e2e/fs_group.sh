#!/usr/bin/env bash
# fsGroup through play: a non-root container writes to an emptyDir and a claim whose
# group is the fsGroup (setgid dirs: what it creates gets the group) and reads a
# configMap file of mode 0400 through the group. It plants links to a host file in the
# claim; the next play walks the claim again and the host file keeps its owner and mode.
. "$(dirname "$0")/lib.sh"
use_namespace fsgroup
ensure_busybox
victim_setup
claim=$PODLET_ROOT/volumes/fsgroup_data
rm -rf "$claim"
on_exit 'rm -rf "$claim"'
owner() { stat -c '%u:%g:%a' "$1"; }
before=$(owner "$VICTIM/canary")

f=$(manifest fsgroup <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: fsgroup}
data: {key: value}
---
apiVersion: v1
kind: Pod
metadata: {name: fsgroup, namespace: fsgroup}
spec:
  terminationGracePeriodSeconds: 2
  securityContext: {runAsUser: 1000, runAsGroup: 1000, fsGroup: 2500}
  volumes:
    - {name: scratch, emptyDir: {}}
    - {name: data, persistentVolumeClaim: {claimName: data}}
    - {name: cfg, configMap: {name: cfg, defaultMode: 0400}}
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      volumeMounts:
        - {name: scratch, mountPath: /scratch}
        - {name: data, mountPath: /data}
        - {name: cfg, mountPath: /cfg}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
          u=\$(cat /proc/sys/kernel/random/uuid)
          for d in scratch data; do
            check "\$d: the root's group is the fsGroup" test "\$(stat -c %g /\$d)" = 2500
            check "\$d: the root is setgid" test -g /\$d
            check "\$d: writable as uid 1000" sh -c "echo x >/\$d/f-\$u && mkdir /\$d/d-\$u && echo y >/\$d/d-\$u/f"
            check "\$d: new files get the fsGroup" test "\$(stat -c %g /\$d/f-\$u /\$d/d-\$u /\$d/d-\$u/f | sort -u)" = 2500
          done
          check "configMap file readable through the fsGroup" grep -qx value /cfg/key
          check "configMap file is 0440 of the fsGroup" test "\$(stat -L -c %g:%a /cfg/key)" = 2500:440
          ln -s $VICTIM/canary /data/planted-\$u
          ln -s $VICTIM /data/planted-dir-\$u
          echo "DONE \$(ls /data | grep -c planted-dir)"
          $LOOP
YAML
)
"$PODLET" play "$f" || fail "first play failed"
container_report fsgroup/fsgroup app 30 "DONE 1" >&2
"$PODLET" down fsgroup/fsgroup || fail "down failed"
"$PODLET" play "$f" || fail "second play failed"
container_report fsgroup/fsgroup app 30 "DONE 2" >&2
"$PODLET" down fsgroup/fsgroup || fail "down failed"
assert_clean fsgroup
[ "$(owner "$VICTIM/canary")" = "$before" ] || fail "a link in the claim was followed: $VICTIM/canary is $(owner "$VICTIM/canary"), was $before"
assert_victim_untouched "fsGroup walks over planted links"
[ "$(stat -c %g "$claim")" = 2500 ] || fail "the claim's root is not of the fsGroup"
