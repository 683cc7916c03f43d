#!/usr/bin/env bash
# Killing the infra process (not through podlet) stops the whole pod: every
# container unit is bound to the infra. `down` then still cleans up.
. "$(dirname "$0")/lib.sh"
use_namespace infrakill
ensure_busybox

f=$(pod_manifest infrakill victim <<YAML
  terminationGracePeriodSeconds: 2
  containers:
$(busybox_container a "$LOOP")
$(busybox_container b "$LOOP")
YAML
)
play_ok "$f"
infra=podlet-infrakill_victim-infra.service
pid=$(systemctl show -P MainPID "$infra")
[ "${pid:-0}" -gt 0 ] || fail "infra has no main pid"
kill -KILL "$pid"

stopped() {
  local u
  for u in podlet-infrakill_victim_a.service podlet-infrakill_victim_b.service; do
    case $(systemctl show -P ActiveState "$u") in active | activating | deactivating) return 1 ;; esac
  done
}
wait_until 30 stopped || fail "containers still run after the infra was killed: $(units_of_namespace infrakill)"
[ -z "$(grep -l -F /podlet-infrakill_victim_ /proc/[0-9]*/cgroup 2>/dev/null)" ] ||
  fail "container processes survived the infra"
phase=$(pod_phase infrakill/victim)
[ "$phase" = Failed ] || [ "$phase" = Unknown ] || fail "phase after the infra died: $phase"

down_clean infrakill/victim
