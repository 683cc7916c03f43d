#!/usr/bin/env bash
# Symlinks a container plants in its volumes must never make podlet act on the host:
# an init container plants links to host paths (/, a host dir, a host file) in an
# emptyDir, a Memory emptyDir and a persistentVolumeClaim, and tries to in configMap
# and secret volumes (read-only: refused). The app container then mounts subPaths
# through those links (CVE-2017-1002101 class): it must see the volume's own content,
# never the host's. The pod is re-played (down + play, then play --replace) so the
# host-side preparation and removal of volumes and writable layers meet the links.
. "$(dirname "$0")/lib.sh"
use_namespace hostile-vols
ensure_busybox
victim_setup
claim=$PODLET_ROOT/volumes/hostile-vols_loot
rm -rf "$claim"
on_exit 'rm -rf "$claim"'

plant() { # lines of the planter's script for volume dir $1
  cat <<SH
          rm -rf $1/root $1/victim $1/canary $1/d $1/tmpv
          check "plant in $1" sh -c 'ln -s / $1/root && ln -s $VICTIM $1/victim && ln -s $up$VICTIM/canary $1/canary && mkdir $1/d && ln -s $VICTIM $1/d/deep && ln -s $VICTIM_TMP $1/tmpv'
SH
}
up=../../../../../../../../..
subpaths() { # volumeMounts of volume $1 through its planted links, under /$1-*
  cat <<YAML
        - {name: $1, mountPath: /$1-root, subPath: root}
        - {name: $1, mountPath: /$1-victim, subPath: victim}
        - {name: $1, mountPath: /$1-canary, subPath: canary}
        - {name: $1, mountPath: /$1-deep, subPath: d/deep/new}
        - {name: $1, mountPath: /$1-tmpv, subPath: tmpv/x}
YAML
}
inspect() { # the app's checks of the subPath mounts of volume $1
  cat <<SH
          check "$1 subPath root is the volume" sh -c '[ ! -e /$1-root$VICTIM/canary ] && [ ! -e /$1-root/etc/passwd ]'
          check "$1 subPath to a host dir is not it" sh -c '[ ! -e /$1-victim/canary ] && touch /$1-victim/written'
          check "$1 subPath to a host file is not it" sh -c '! grep -q canary /$1-canary 2>/dev/null; touch /$1-canary/written 2>/dev/null || true'
          check "$1 deep subPath stays inside" sh -c 'touch /$1-deep/written'
          check "$1 subPath to a host tmp dir is not it" sh -c '[ ! -e /$1-tmpv/canary ] && touch /$1-tmpv/written'
SH
}
f=$(manifest plant <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: hostile-vols}
data: {key: value}
---
apiVersion: v1
kind: Secret
metadata: {name: sec, namespace: hostile-vols}
stringData: {key: value}
---
apiVersion: v1
kind: Pod
metadata: {name: plant, namespace: hostile-vols}
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - {name: empty, emptyDir: {}}
    - {name: mem, emptyDir: {medium: Memory}}
    - {name: pvc, persistentVolumeClaim: {claimName: loot}}
    - {name: cfg, configMap: {name: cfg}}
    - {name: sec, secret: {secretName: sec}}
  initContainers:
    - name: planter
      image: localhost/busybox:latest
      imagePullPolicy: Never
      volumeMounts:
        - {name: empty, mountPath: /empty}
        - {name: mem, mountPath: /mem}
        - {name: pvc, mountPath: /pvc}
        - {name: cfg, mountPath: /cfg}
        - {name: sec, mountPath: /sec}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
$(plant /empty)
$(plant /mem)
$(plant /pvc)
          refused "plant in a configMap volume" ln -s $VICTIM /cfg/victim
          refused "plant in a secret volume" ln -s $VICTIM /sec/victim
          check "plant in the writable layer" sh -c 'ln -s $VICTIM /uplink && mkdir /updir && ln -s $VICTIM /updir/x'
          echo DONE @ROUND@
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      volumeMounts:
$(subpaths empty)
$(subpaths mem)
$(subpaths pvc)
        - {name: cfg, mountPath: /cfg-sub, subPath: key}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
$(inspect empty)
$(inspect mem)
$(inspect pvc)
          check "configMap subPath" grep -qx value /cfg-sub
          check "plant in the app's writable layer" sh -c 'ln -s $VICTIM /uplink && ln -s / /uproot'
          echo DONE @ROUND@
          $LOOP
YAML
)

runs=0
round() { # round WHAT PLAY-ARGS...
  local what=$1
  shift
  runs=$((runs + 1))
  sed "s/@ROUND@/$runs/" "$f" >"${f%.yaml}-$runs.yaml"  # a DONE line of this play's own
  "$PODLET" play "$@" "${f%.yaml}-$runs.yaml" || fail "$what: play failed"
  container_report hostile-vols/plant planter 30 "DONE $runs" >/dev/null
  container_report hostile-vols/plant app 30 "DONE $runs" >/dev/null
  assert_victim_untouched "$what"
}
round "first play"
down_clean hostile-vols/plant
assert_victim_untouched "down"
[ -L "$claim/root" ] || fail "the claim lost a planted link (data of the claim, kept)"
round "second play"
round "play --replace" --replace
down_clean hostile-vols/plant
assert_victim_untouched "final down"
