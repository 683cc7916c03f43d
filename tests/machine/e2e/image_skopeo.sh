#!/usr/bin/env bash
# Images made by podlet-independent tools run: a busybox OCI layout written here by
# hand is turned by `skopeo copy` into an oci-archive, a docker-archive, and an image
# in a docker-registry on the machine's loopback. One pod runs a container from each:
# the two archives loaded with `podlet image load`, the registry image pulled by
# `podlet play` itself (imagePullPolicy IfNotPresent). The image's Env reaches the
# containers; `image rm` untags a name, refuses the image the pod uses, and removes
# it after `down`.
. "$(dirname "$0")/lib.sh"
use_namespace imgs

registry_pid=
stop_registry() {
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
    registry_pid=
  fi
}
# The registry goes first, then lib.sh's cleanup (with the test's exit status).
trap 'rc=$?; stop_registry; (exit $rc); cleanup' EXIT

# --- an OCI layout: busybox rootfs + one layer with a file, config with Env ---
layout=$E2E_WORK/layout
mkdir -p "$layout/blobs/sha256" "$E2E_WORK/rootfs"/{bin,etc,tmp} "$E2E_WORK/extra/srv"
put() { local d; d=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$layout/blobs/sha256/$d"; echo "sha256:$d"; }
cp /bin/busybox "$E2E_WORK/rootfs/bin/busybox"
for a in sh echo sleep cat; do ln -s busybox "$E2E_WORK/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/:/bin/sh' >"$E2E_WORK/rootfs/etc/passwd"
echo 'root:x:0:' >"$E2E_WORK/rootfs/etc/group"
echo 'made by hand, copied by skopeo' >"$E2E_WORK/extra/srv/motd"
layers='' diff_ids=''
for l in rootfs extra; do
  tar --numeric-owner --owner=0 --group=0 -C "$E2E_WORK/$l" -cf "$E2E_WORK/$l.tar" .
  diff_ids+="${diff_ids:+,}\"sha256:$(sha256sum "$E2E_WORK/$l.tar" | cut -d' ' -f1)\""
  gzip -n "$E2E_WORK/$l.tar"
  size=$(stat -c %s "$E2E_WORK/$l.tar.gz")
  layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$(put "$E2E_WORK/$l.tar.gz")\",\"size\":$size}"
done
arch=$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')
printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/bin","GREETING=hello from the image"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
  "$arch" "$diff_ids" >"$E2E_WORK/config.json"
csize=$(stat -c %s "$E2E_WORK/config.json")
cdigest=$(put "$E2E_WORK/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
  "$cdigest" "$csize" "$layers" >"$E2E_WORK/manifest.json"
msize=$(stat -c %s "$E2E_WORK/manifest.json")
mdigest=$(put "$E2E_WORK/manifest.json")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' \
  "$mdigest" "$msize" >"$layout/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"

# --- skopeo makes the archives ---
skopeo copy -q "oci:$layout:1" "oci-archive:$E2E_WORK/bb-oci.tar:localhost/e2e-skopeo-oci:1" ||
  fail "skopeo copy to oci-archive"
skopeo copy -q "oci:$layout:1" "docker-archive:$E2E_WORK/bb-docker.tar:localhost/e2e-skopeo-docker:1" ||
  fail "skopeo copy to docker-archive"
"$PODLET" image load "$E2E_WORK/bb-oci.tar" | grep -q 'localhost/e2e-skopeo-oci:1' || fail "load oci-archive"
"$PODLET" image load "$E2E_WORK/bb-docker.tar" | grep -q 'localhost/e2e-skopeo-docker:1' || fail "load docker-archive"

# --- and pushes the layout to a registry on the machine's loopback ---
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: 127.0.0.1:%s}\n' \
    "$E2E_WORK/registry" "$port" >"$E2E_WORK/registry.yml"
  docker-registry serve "$E2E_WORK/registry.yml" >"$E2E_WORK/registry.log" 2>&1 &
  registry_pid=$!
  if wait_until 10 curl -sf -o /dev/null "http://127.0.0.1:$port/v2/"; then break; fi
  stop_registry
done
[ -n "$registry_pid" ] || fail "docker-registry did not start: $(cat "$E2E_WORK/registry.log")"
pulled=127.0.0.1:$port/e2e/skopeo:1
skopeo copy -q --dest-tls-verify=false "oci:$layout:1" "docker://$pulled" || fail "skopeo copy to the registry"

container() {
  cat <<YAML
    - name: $1
      image: $2
      command:
        - /bin/sh
        - -c
        - |
          echo "$1: \$GREETING"
          cat /srv/motd
          trap "exit 0" TERM
          while :; do sleep 1; done
YAML
}
f=$(manifest imgs <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: skopeo
  namespace: imgs
spec:
  terminationGracePeriodSeconds: 5
  containers:
$(container oci localhost/e2e-skopeo-oci:1)
$(container docker localhost/e2e-skopeo-docker:1)
$(container pulled "$pulled")
YAML
)

play_ok "$f"
"$PODLET" image inspect "$pulled" >/dev/null || fail "play did not pull $pulled"
[ "$(pod_phase imgs/skopeo)" = Running ] || fail "pod is not Running: $(pod_json imgs/skopeo)"
for c in oci docker pulled; do
  said() { "$PODLET" logs -c "$1" imgs/skopeo | grep -qx "$1: hello from the image"; }
  wait_until 10 said "$c" || fail "container $c: $("$PODLET" logs -c "$c" imgs/skopeo 2>&1)"
  "$PODLET" logs -c "$c" imgs/skopeo | grep -qx 'made by hand, copied by skopeo' || fail "$c: no /srv/motd"
done

# The same config through three transports is one image with three names.
id=$("$PODLET" image inspect localhost/e2e-skopeo-oci:1 | jq -r '.[0].Id')
[ "$("$PODLET" image inspect "$pulled" | jq -r '.[0].Id')" = "$id" ] || fail "pulled image is another image"
[ "$("$PODLET" image inspect "$id" | jq '.[0].Names | length')" = 3 ] || fail "expected 3 names on $id"
# Removing one name only untags; removing the image itself is refused while the pod runs.
"$PODLET" image rm localhost/e2e-skopeo-docker:1 >/dev/null || fail "untag failed"
out=$("$PODLET" image rm "$id" 2>&1) && fail "image rm removed an image in use"
grep -q "in use" <<<"$out" || fail "image rm: unexpected message: $out"
"$PODLET" image inspect "$id" >/dev/null || fail "the image in use is gone"

down_clean imgs/skopeo
"$PODLET" image rm "$id" >/dev/null || fail "image rm $id after down"
"$PODLET" image inspect localhost/e2e-skopeo-oci:1 >/dev/null 2>&1 && fail "image still there after rm"
true
