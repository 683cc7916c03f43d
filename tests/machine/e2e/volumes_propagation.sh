#!/usr/bin/env bash
# mountPropagation: a mount the host makes below a hostPath volume after the pod
# started reaches a container that mounted it with HostToContainer, and not one
# that mounted it with None (the default).
. "$(dirname "$0")/lib.sh"
use_namespace propagation
ensure_busybox

base=/var/lib/podlet-test/propagation-$$
mkdir -p "$base"
# The host side is a shared mount, as a kubelet's hostPath dirs are on systemd hosts.
mount --bind "$base" "$base"
mount --make-shared "$base"
mkdir -p "$base/sub"
on_exit 'umount -R "$base"; rm -rf "$base"'

container() { # container NAME PROPAGATION EXPECT(present|absent)
  local test_cmd="test -e /h/sub/marker"
  [ "$3" = absent ] && test_cmd="test ! -e /h/sub/marker"
  cat <<YAML
    - name: $1
      image: localhost/busybox:latest
      imagePullPolicy: Never
      volumeMounts:
        - {name: h, mountPath: /h, mountPropagation: $2}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
          echo READY
          i=0; while [ ! -e /h/go ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i+1)); done
          check "$2: the host's later mount is $3" $test_cmd
          echo DONE
          $LOOP
YAML
}
f=$(manifest prop <<YAML
apiVersion: v1
kind: Pod
metadata: {name: prop, namespace: propagation}
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - {name: h, hostPath: {path: $base, type: Directory}}
  containers:
$(container none None absent)
$(container h2c HostToContainer present)
YAML
)
play_ok "$f"
for c in none h2c; do
  wait_until 20 sh -c "'$PODLET' logs -c $c propagation/prop | grep -qx READY" || fail "$c did not start"
done
mount -t tmpfs -o size=1m tmpfs "$base/sub"
touch "$base/sub/marker" "$base/go"
container_report propagation/prop none >/dev/null
container_report propagation/prop h2c >/dev/null
umount "$base/sub"
down_clean propagation/prop
