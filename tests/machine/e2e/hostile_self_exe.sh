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
use_namespace hostile-exe
command -v cc >/dev/null || fail "a C compiler is needed to build the attacker's helper"

# The attacker's helper: exeprobe PID [FIFO]. Holds /proc/PID/exe as O_PATH, lets the
# victim go (a write to FIFO), then tries to reopen the binary for writing (without
# writing anything) until it is no longer busy. Prints "WRITABLE" and exits 1 when the
# escape works, "refused: ..." or "unreachable: ..." and exits 0 when it does not.
cat >"$E2E_WORK/exeprobe.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char** argv) {
  if (argc < 2) return 2;
  char path[64];
  snprintf(path, sizeof path, "/proc/%s/exe", argv[1]);
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) {
    printf("unreachable: %s: %s\n", path, strerror(errno));
    return 0;
  }
  if (argc > 2) {
    int fifo = open(argv[2], O_WRONLY);
    if (fifo < 0 || write(fifo, "x\n", 2) != 2) {
      printf("error: cannot release the victim: %s\n", strerror(errno));
      return 2;
    }
    close(fifo);
  }
  /* Wait until the victim is gone (reaped, or a zombie without its binary). */
  char stat_path[64], stat[256];
  snprintf(stat_path, sizeof stat_path, "/proc/%s/stat", argv[1]);
  for (int i = 0; argc > 2 && i < 600; ++i) {
    FILE* f = fopen(stat_path, "r");
    if (!f) break;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = 0;
    char* state = strrchr(stat, ')');
    if (state && state[1] == ' ' && state[2] == 'Z') break;
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  char self[64];
  snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
  int w = open(self, O_WRONLY | O_CLOEXEC);
  if (w >= 0) {
    printf("WRITABLE: %s reopened for writing\n", path);
    return 1;
  }
  if (errno != ETXTBSY) {
    printf("refused: %s\n", strerror(errno));
    return 0;
  }
  /* Busy: the same binary still runs somewhere (podlet's other processes). Once
     it does not, only the view it runs from stands between it and a writer. */
  int r = open(self, O_RDONLY | O_CLOEXEC);
  struct statvfs vfs;
  if (r >= 0 && fstatvfs(r, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
    printf("refused: busy, and on a read-only mount\n");
    return 0;
  }
  if (r >= 0 && fcntl(r, F_GET_SEALS) >= 0 && (fcntl(r, F_GET_SEALS) & F_SEAL_WRITE)) {
    printf("refused: busy, and a sealed copy\n");
    return 0;
  }
  printf("WRITABLE: %s is busy now but on a writable file system\n", path);
  return 1;
}
C
cc -static -O2 -o "$E2E_WORK/exeprobe" "$E2E_WORK/exeprobe.c" || fail "cannot build the helper"

# The image: busybox, the helper, and the shared libraries podlet's binary needs.
root=$E2E_WORK/root
busybox_rootfs "$root"
cp "$E2E_WORK/exeprobe" "$root/bin/exeprobe"
for lib in $(ldd "$PODLET" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
oci_image "$root" localhost/hostile-exe:1
on_exit '"$PODLET" image rm localhost/hostile-exe:1'
before=$(sha256sum <"$PODLET")

f=$(manifest exe <<YAML
apiVersion: v1
kind: Pod
metadata: {name: exe, namespace: hostile-exe}
spec:
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
          victim=
          i=0
          while [ -z "\$victim" ] && [ \$i -lt 300 ]; do
            for p in /proc/[0-9]*; do
              tr '\0' ' ' <\$p/cmdline 2>/dev/null | grep -q "^/proc/self/exe internal container --spec /shared/fifo" && victim=\${p#/proc/}
            done
            i=\$((i+1)); sleep 0.1
          done
          [ -n "\$victim" ] || echo "FAIL: the victim (podlet's binary as the workload) never ran"
          [ -n "\$victim" ] && { exeprobe \$victim /shared/fifo || echo "FAIL: podlet's binary exec'd as a workload"; }
          exeprobe 1 || echo "FAIL: the pod's PID 1 (podlet's infra)"
          echo DONE
          $LOOP
YAML
)
"$PODLET" play "$f" || fail "play failed"
out=$(container_report hostile-exe/exe attacker 60)
log "attacker: $(tr '\n' ' ' <<<"$out")"
[ "$(sha256sum <"$PODLET")" = "$before" ] || fail "podlet's binary changed"
"$PODLET" down hostile-exe/exe || fail "down failed"
assert_clean hostile-exe
