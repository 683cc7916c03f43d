#!/usr/bin/env bash
# mountPropagation Bidirectional (None and HostToContainer: volumes_propagation.sh):
# validation refuses it for a container that is not privileged, as Kubernetes does; a
# privileged container's mount below a hostPath volume shows up on the host, and a
# mount the host makes there later reaches the container.
. "$(dirname "$0")/lib.sh"
use_namespace bidir
ensure_busybox

base=/var/lib/podlet-test/bidir-$$
mkdir -p "$base/from-host"
# The host side is a shared mount, as a kubelet's hostPath dirs are on systemd hosts.
mount --bind "$base" "$base"
mount --make-shared "$base"
on_exit 'umount -R "$base"; rm -rf "$base"'

pod() { # pod PRIVILEGED
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: bidir, namespace: bidir}
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - {name: h, hostPath: {path: $base, type: Directory}}
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      securityContext: {privileged: $1}
      volumeMounts:
        - {name: h, mountPath: /h, mountPropagation: Bidirectional}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
          mkdir -p /h/from-container
          check "mount below the volume" mount -t tmpfs -o size=1m tmpfs /h/from-container
          echo hello >/h/from-container/file
          echo READY
          i=0; while [ ! -e /h/go ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i+1)); done
          check "the host's later mount is seen" test -e /h/from-host/marker
          echo DONE
          $LOOP
YAML
}

f=$(pod false | manifest unprivileged)
out=$("$PODLET" validate "$f" 2>&1) && fail "Bidirectional in an unprivileged container passed validation"
grep -q "mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers" \
  <<<"$out" || fail "unexpected validation error: $out"
"$PODLET" play "$f" >/dev/null 2>&1 && fail "an unprivileged Bidirectional pod was played"

f=$(pod true | manifest privileged)
"$PODLET" play "$f" || fail "play failed"
wait_until 20 sh -c "'$PODLET' logs -c app bidir/bidir | grep -qx READY" || fail "the container did not start"
grep -qF " $base/from-container " /proc/self/mountinfo ||
  fail "the container's mount did not propagate to the host: $(grep -F "$base" /proc/self/mountinfo)"
[ "$(cat "$base/from-container/file")" = hello ] || fail "the host does not see the container's tmpfs content"
mount -t tmpfs -o size=1m tmpfs "$base/from-host"
touch "$base/from-host/marker" "$base/go"
container_report bidir/bidir app >/dev/null
"$PODLET" down bidir/bidir || fail "down failed"
assert_clean bidir
umount "$base/from-host" "$base/from-container"
