#!/usr/bin/env bash
# The /proc/self/exe class of escapes (CVE-2019-5736): podlet's own binary must not be
# writable from inside a container. Two ways in, in a pod that shares its pid namespace:
#  - the image (which carries the libraries podlet needs) makes podlet exec
#    /proc/self/exe as the workload, so the workload is podlet's binary; a process of
#    another container holds /proc/PID/exe open (O_PATH) until that workload exits and
#    then reopens it for writing;
#  - the pod's PID 1 is podlet's infra: /proc/1/exe must be unreachable or read-only.
# podlet runs its entrypoints from a read-only view of its binary (src/runtime/self_exe.cc):
# the reopen must fail, and the binary on the host must be unchanged.
. "$(dirname "$0")/lib.sh"
exe_attack_begin hostile-exe

f=$(pod_manifest hostile-exe exe <<YAML
  terminationGracePeriodSeconds: 2
  shareProcessNamespace: true
  volumes:
    - {name: shared, emptyDir: {}}
  initContainers:
    - name: fifo
      image: localhost/hostile-exe:1
      imagePullPolicy: Never
      volumeMounts: [{name: shared, mountPath: /shared}]
      command: [mkfifo, /shared/fifo]
  containers:
    - name: victim
      image: localhost/hostile-exe:1
      imagePullPolicy: Never
      volumeMounts: [{name: shared, mountPath: /shared}]
      # podlet execs its own binary as the workload, which then waits on the fifo.
      command: [/proc/self/exe, internal, container, --spec, /shared/fifo]
    - name: attacker
      image: localhost/hostile-exe:1
      imagePullPolicy: Never
      volumeMounts: [{name: shared, mountPath: /shared}]
      command:
        - /bin/sh
        - -c
        - |
          $FIND_VICTIM
          find_victim /shared/fifo 300
          [ -n "\$victim" ] || echo "FAIL: the victim (podlet's binary as the workload) never ran"
          [ -n "\$victim" ] && { exeprobe \$victim /shared/fifo || echo "FAIL: podlet's binary exec'd as a workload"; }
          exeprobe 1 || echo "FAIL: the pod's PID 1 (podlet's infra)"
          echo DONE
          $LOOP
YAML
)
play_ok "$f"
exe_attack_end hostile-exe/exe
