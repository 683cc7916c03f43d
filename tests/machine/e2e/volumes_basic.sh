#!/usr/bin/env bash
# Volume semantics seen from inside real containers and from the host: an emptyDir on
# disk shared by two containers, emptyDir medium Memory (tmpfs, sizeLimit enforced),
# configMap and secret volumes from the same file (items, mode, defaultMode; secrets on
# tmpfs and never on disk under PODLET_ROOT), subPath of a directory and of a file,
# readOnly mounts and readOnlyRootFilesystem refusing writes.
. "$(dirname "$0")/lib.sh"
use_namespace vols
ensure_busybox
mark=$RANDOM$RANDOM

f=$(manifest vols <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: vols}
data:
  app.conf: "hello config"
  other: "second"
  plain: "plain"
---
apiVersion: v1
kind: Secret
metadata: {name: sec, namespace: vols}
stringData:
  password: "s3cr3t-$mark"
---
apiVersion: v1
kind: Pod
metadata: {name: vols, namespace: vols}
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - name: shared
      emptyDir: {}
    - name: mem
      emptyDir: {medium: Memory, sizeLimit: 1Mi}
    - name: cfg
      configMap:
        name: cfg
        defaultMode: 0640
        items:
          - {key: app.conf, path: conf/app.conf, mode: 0600}
          - {key: other, path: other.txt}
    - name: cfgall
      configMap: {name: cfg}
    - name: sec
      secret: {secretName: sec, defaultMode: 0400}
  containers:
    - name: writer
      image: localhost/busybox:latest
      imagePullPolicy: Never
      volumeMounts:
        - {name: shared, mountPath: /shared}
      command:
        - /bin/sh
        - -c
        - |
          mkdir -p /shared/sub && echo in-sub >/shared/sub/file && echo from-writer >/shared/w
          $LOOP
    - name: reader
      image: localhost/busybox:latest
      imagePullPolicy: Never
      securityContext: {readOnlyRootFilesystem: true}
      volumeMounts:
        - {name: shared, mountPath: /shared, readOnly: true}
        - {name: shared, mountPath: /sub, subPath: sub}
        - {name: mem, mountPath: /mem}
        - {name: cfg, mountPath: /cfg}
        - {name: cfgall, mountPath: /cfgall}
        - {name: cfg, mountPath: /etc/app.conf, subPath: conf/app.conf}
        - {name: sec, mountPath: /sec}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
          i=0; while [ ! -e /shared/w ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done
          check "emptyDir shared: the writer's file is seen" grep -qx from-writer /shared/w
          refused "readOnly emptyDir mount refuses writes" touch /shared/new
          check "subPath of a directory" grep -qx in-sub /sub/file
          check "subPath mount is writable" sh -c 'echo x >/sub/fromreader'
          check "Memory emptyDir is tmpfs" sh -c '[ "\$(stat -f -c %T /mem)" = tmpfs ]'
          check "Memory emptyDir takes 512k" dd if=/dev/zero of=/mem/a bs=1024 count=512
          refused "Memory emptyDir sizeLimit 1Mi refuses 2Mi" dd if=/dev/zero of=/mem/b bs=1024 count=2048
          check "configMap item with mode 0600" sh -c '[ "\$(stat -L -c %a /cfg/conf/app.conf)" = 600 ]'
          check "configMap item content" grep -qx "hello config" /cfg/conf/app.conf
          check "configMap item with defaultMode 0640" sh -c '[ "\$(stat -L -c %a /cfg/other.txt)" = 640 ]'
          refused "configMap items: unlisted key absent" test -e /cfg/plain
          check "configMap without items: every key, mode 0644" sh -c '[ "\$(stat -L -c %a /cfgall/plain)" = 644 ] && [ -e /cfgall/app.conf ] && [ -e /cfgall/other ]'
          refused "configMap volume is read-only" touch /cfg/new
          check "configMap file through subPath" grep -qx "hello config" /etc/app.conf
          check "secret with defaultMode 0400" sh -c '[ "\$(stat -L -c %a /sec/password)" = 400 ]'
          check "secret content" grep -qx "s3cr3t-$mark" /sec/password
          check "secret volume is tmpfs" sh -c '[ "\$(stat -f -c %T /sec)" = tmpfs ]'
          refused "secret volume is read-only" touch /sec/new
          refused "readOnlyRootFilesystem refuses writes to /" touch /newfile
          refused "readOnlyRootFilesystem refuses writes to /tmp" touch /tmp/newfile
          echo DONE
          $LOOP
YAML
)

play_ok "$f"
container_report vols/vols reader

# Host side: the emptyDir is a directory of the pod's data dir shared by both containers.
shared=$PODLET_ROOT/pods/vols_vols/volumes/shared
[ "$(cat "$shared/w")" = from-writer ] || fail "the emptyDir on disk lacks the writer's file ($shared)"
[ "$(cat "$shared/sub/fromreader")" = x ] || fail "the subPath write is not in the emptyDir"
# The Memory emptyDir, configMap and secret volumes are tmpfs mounts on the host side too.
for v in mem cfg sec; do
  grep -q " $PODLET_RUNROOT/pods/vols_vols/volumes/$v .* - tmpfs " /proc/self/mountinfo ||
    fail "volume $v is not a tmpfs under the pod's run dir: $(grep vols_vols /proc/self/mountinfo)"
done
# The secret's value is nowhere on disk under PODLET_ROOT.
if grep -rqa "s3cr3t-$mark" "$PODLET_ROOT" 2>/dev/null; then
  fail "the secret was written under $PODLET_ROOT: $(grep -rla "s3cr3t-$mark" "$PODLET_ROOT")"
fi

down_clean vols/vols
[ ! -e "$shared" ] || fail "the emptyDir survived down"
