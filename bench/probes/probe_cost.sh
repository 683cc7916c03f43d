#!/usr/bin/env bash
# What probes cost, in a throwaway systemd machine (contrib/machine.sh): a pod with an
# exec, an httpGet and a tcpSocket probe (periodSeconds 1) runs for a while, and the
# benchmark reports
#   - the processes in the pod's slice, sampled every 50 ms: between probe runs only the
#     infra and the workload stay (no podlet process per container or probe);
#   - one run of each probe's `podlet internal probe`, timed RUNS times by hand as its
#     timer would start it: wall time, CPU time (user+sys) and peak RSS.
#
#   bench/probes/probe_cost.sh BUILD_DIR [RUNS]      (as root; default 20 runs)
#
# Inside the machine (PODLET_BENCH_INSIDE=1) it does the measuring itself.
set -euo pipefail

. "$(dirname "$0")/../in_machine.sh"
bench_in_machine probes "${1:-}" "${2:-20}"

cat >"$work/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: probed
  namespace: bench
spec:
  terminationGracePeriodSeconds: 2
  containers:
    - name: web
      image: localhost/busybox:latest
      imagePullPolicy: Never
      command: ["/bin/sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
      ports: [{name: http, containerPort: 8080}]
      livenessProbe: {exec: {command: [cat, /www/index.html]}, periodSeconds: 1}
      readinessProbe: {httpGet: {path: /index.html, port: http}, periodSeconds: 1}
      startupProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
YAML
"$PODLET" play --wait --timeout 60 "$work/pod.yaml" >/dev/null
trap '"$PODLET" down --force bench/probed >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

slice=/sys/fs/cgroup$(systemctl show -P ControlGroup podlet-bench_probed.slice)
# Processes in the pod's slice (its units' cgroups), every 50 ms for 5 s.
for _ in $(seq 1 100); do
  find "$slice" -name cgroup.procs -exec cat {} + 2>/dev/null | wc -l  # probe cgroups come and go
  sleep 0.05
done >"$work/procs"
read -r median max < <(sort -n "$work/procs" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)], v[NR]}')
echo "processes in the pod's slice over 5 s (3 probes, every 1 s): median $median, max $max"
echo "  (the infra and the workload stay; a probe's process exists only while it checks)"

echo "one probe run (\`podlet internal probe\`), $RUNS runs each: median wall / CPU (user+sys), peak RSS"
for kind in liveness readiness startup; do
  spec=$(find "$PODLET_RUNROOT/pods/bench_probed" -name "probe-web-$kind.json" | head -1)
  /usr/bin/python3 - "$PODLET" "$spec" "$RUNS" "$kind" <<'PY'
import resource, statistics, subprocess, sys, time
podlet, spec, runs, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
walls, cpus, peak = [], [], 0
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run([podlet, "internal", "probe", "--spec", spec], check=True, stdout=subprocess.DEVNULL)
    walls.append((time.monotonic() - t0) * 1000)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    peak = max(peak, after.ru_maxrss)
handler = {"liveness": "exec", "readiness": "httpGet", "startup": "tcpSocket"}[kind]
print(f"  {kind:9} ({handler:9}): {statistics.median(walls):6.1f} ms / {statistics.median(cpus):5.1f} ms CPU, peak RSS {peak / 1024:.1f} MiB")
PY
done
echo "podman: its healthchecks are also systemd timers (\`podman healthcheck run\`); not compared here"
