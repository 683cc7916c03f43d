#!/usr/bin/env bash
# Pull+unpack throughput of a 3-layer ~50 MB image from a loopback registry:
# `podlet image pull` (download, verify, unpack) next to `skopeo copy` to a
# directory followed by `tar -x` of each layer (the same work done by two tools).
# Usage: bench/image/pull_bench.sh PODLET_BINARY [RUNS]   (root; needs docker-registry,
# skopeo, hyperfine from Debian; the registry runs on 127.0.0.1 and is always stopped).
set -euo pipefail
podlet=$(realpath "${1:?usage: $0 PODLET_BINARY [RUNS]}")
runs=${2:-5}
work=$(mktemp -d /var/tmp/podlet-pull-bench.XXXXXX)
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- an OCI layout with 3 gzip layers of ~17 MB incompressible data each ---
layout=$work/layout
mkdir -p "$layout/blobs/sha256"
put() { local d; d=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$layout/blobs/sha256/$d"; echo "$d"; }
diff_ids=() layers=()
for i in 1 2 3; do
  mkdir -p "$work/l$i/data$i"
  for j in 1 2 3 4; do head -c $((4 * 1024 * 1024 + i * 1000 + j)) /dev/urandom >"$work/l$i/data$i/f$j"; done
  [ "$i" = 1 ] && mkdir -p "$work/l1/bin" && cp /bin/busybox "$work/l1/bin/busybox"
  tar --numeric-owner -C "$work/l$i" -cf "$work/l$i.tar" .
  diff_ids+=("sha256:$(sha256sum "$work/l$i.tar" | cut -d' ' -f1)")
  gzip -n -1 "$work/l$i.tar"
  size=$(stat -c %s "$work/l$i.tar.gz")
  layers+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$(put "$work/l$i.tar.gz")\",\"size\":$size}")
done
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"]},"rootfs":{"type":"layers","diff_ids":["%s","%s","%s"]}}' \
  "${diff_ids[@]}" >"$work/config.json"
csize=$(stat -c %s "$work/config.json")
cdigest=$(put "$work/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s,%s,%s]}' \
  "$cdigest" "$csize" "${layers[@]}" >"$work/manifest.json"
msize=$(stat -c %s "$work/manifest.json")
mdigest=$(put "$work/manifest.json")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"bench"}}]}' \
  "$mdigest" "$msize" >"$layout/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
total=$(du -cb "$layout"/blobs/sha256/* | tail -1 | cut -f1)

# --- the registry on a free loopback port ---
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  cat >"$work/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port}
YAML
  docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/v2/" && break 2
    kill -0 "$registry_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$registry_pid" 2>/dev/null || true
  registry_pid=
done
[ -n "$registry_pid" ] || { echo "registry did not start" >&2; exit 1; }
ref=127.0.0.1:$port/bench/image:1
skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$ref"

echo "image: 3 layers, $((total / 1000000)) MB compressed; $runs runs each"
hyperfine --runs "$runs" --export-csv "$work/results.csv" \
  --prepare "rm -rf $work/podlet-root" \
  -n "podlet image pull" "$podlet --root $work/podlet-root image pull -q $ref" \
  --prepare "rm -rf $work/skopeo-out $work/skopeo-unpacked" \
  -n "skopeo copy + tar -x" \
  "skopeo copy -q --src-tls-verify=false docker://$ref dir:$work/skopeo-out && for f in $work/skopeo-out/*; do mkdir -p $work/skopeo-unpacked/\$(basename \$f) && (tar -xzf \$f -C $work/skopeo-unpacked/\$(basename \$f) 2>/dev/null || true); done"
echo
awk -F, -v total="$total" 'NR > 1 { printf "%-24s %6.0f ms  %6.1f MB/s\n", $1, $2 * 1000, total / 1e6 / $2 }' "$work/results.csv"
