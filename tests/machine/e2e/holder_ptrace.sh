#!/usr/bin/env bash
# A container granted CAP_SYS_PTRACE in a pod with shareProcessNamespace can ptrace the
# pod's PID 1, the infra's holder (src/runtime/holder.cc says why that gains nothing).
# It inspects /proc/1 as a debugger would and must find no capability, no fd, an empty
# read-only root and cwd in a mount namespace of one mount, and a seccomp filter.
. "$(dirname "$0")/lib.sh"
use_namespace holder-ptrace
ensure_busybox

f=$(manifest ptrace <<YAML
apiVersion: v1
kind: Pod
metadata: {name: ptrace, namespace: holder-ptrace}
spec:
  terminationGracePeriodSeconds: 2
  shareProcessNamespace: true
  containers:
    - name: debugger
      image: localhost/busybox:latest
      imagePullPolicy: Never
      securityContext: {capabilities: {add: [SYS_PTRACE]}}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
          s=/proc/1/status
          eff=\$(sed -n 's/^CapEff:\t//p' /proc/self/status)
          check "the container holds CAP_SYS_PTRACE" test \$(( 0x\$eff >> 19 & 1 )) = 1
          check "PID 1 is the holder" grep -qx "Name:.podlet-infra" \$s
          check "ptrace access to the holder (its memory opens)" sh -c 'exec 3</proc/1/mem'
          for set in CapInh CapPrm CapEff CapBnd CapAmb; do
            check "holder \$set is empty" grep -qx "\$set:.0000000000000000" \$s
          done
          check "holder has no_new_privs" grep -qx "NoNewPrivs:.1" \$s
          check "holder runs under a seccomp filter" grep -qx "Seccomp:.2" \$s
          check "holder's root is readable" ls -A /proc/1/root/
          check "holder's root is empty" test -z "\$(ls -A /proc/1/root/)"
          check "holder's cwd is empty" sh -c 'ls -A /proc/1/cwd/ && test -z "\$(ls -A /proc/1/cwd/)"'
          refused "holder's root is read-only" touch /proc/1/root/x
          check "holder's mount namespace has one mount" test "\$(wc -l </proc/1/mountinfo)" = 1
          check "holder's one mount is a read-only tmpfs" grep -q " / / ro,.* - tmpfs " /proc/1/mountinfo
          check "holder's fds are listable" ls /proc/1/fd/
          check "holder has no fds" test -z "\$(ls -A /proc/1/fd/)"
          check "holder has no environment" test ! -s /proc/1/environ
          echo "holder mountinfo: \$(cat /proc/1/mountinfo)"
          echo "holder fds: \$(ls -l /proc/1/fd/ 2>&1)"
          echo DONE
          $LOOP
YAML
)
"$PODLET" play "$f" || fail "play failed"
container_report holder-ptrace/ptrace debugger 30 >&2
"$PODLET" down holder-ptrace/ptrace || fail "down failed"
assert_clean holder-ptrace
