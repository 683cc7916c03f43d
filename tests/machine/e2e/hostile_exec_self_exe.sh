#!/usr/bin/env bash
# The /proc/self/exe class of escapes through `podlet exec` (CVE-2019-5736 proper):
# `podlet exec` enters a running container, so the process it forks there is podlet
# until it execs the command. When that command leads back to /proc/self/exe (the
# exec'd file is "#!/proc/self/exe", or the command is /proc/self/exe), the kernel runs
# podlet's own binary inside the container, where the container's processes can open
# /proc/PID/exe and, once it exits, reopen it for writing. The test execs /proc/self/exe
# directly (a script would give podlet arguments it cannot wait on). podlet exec must run from a
# read-only view of its binary (src/runtime/self_exe.cc): the reopen must fail and the
# binary on the host must stay unchanged.
. "$(dirname "$0")/lib.sh"
exe_attack_begin hostile-exec

f=$(pod_manifest hostile-exec exec <<YAML
  terminationGracePeriodSeconds: 2
  containers:
    - name: attacker
      image: localhost/hostile-exe:1
      imagePullPolicy: Never
      command:
        - /bin/sh
        - -c
        - |
          mkfifo /tmp/fifo
          echo READY
          $FIND_VICTIM
          find_victim /tmp/fifo
          exeprobe \$victim /tmp/fifo || echo "FAIL: podlet's binary reached through podlet exec"
          echo DONE
          $LOOP
YAML
)
play_ok "$f"
wait_until 20 sh -c "'$PODLET' logs -c attacker hostile-exec/exec | grep -qx READY" || fail "the attacker did not start"
# The administrator execs into the container; what runs is podlet's binary. It waits
# on the fifo (as a spec file) until the attacker holds its exe and releases it.
rc=0
timeout 60 "$PODLET" exec hostile-exec/exec -c attacker -- /proc/self/exe internal container --spec /tmp/fifo \
  >"$E2E_WORK/exec.out" 2>&1 || rc=$?
[ $rc != 124 ] || fail "podlet exec did not come back"
exe_attack_end hostile-exec/exec
