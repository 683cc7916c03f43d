#!/usr/bin/env bash
# Hostile images: /proc, /dev, /sys, /etc/hosts, /etc/hostname, /etc/resolv.conf,
# /etc/passwd (with an image user name), a volume's mount point and the working dir
# are symlinks to host paths (absolute, and ../../ chains that would climb out of the
# root). podlet must resolve all of them inside the root: nothing outside it is
# created, mounted or written, and the container still gets what it was promised.
# One image has the link targets inside its root, the other has them dangling (podlet
# then replaces a dangling link at a mount point by the directory or file, in the
# container's own writable layer).
. "$(dirname "$0")/lib.sh"
use_namespace hostile-links
victim_setup
# What the host's copies would give away, were they used.
echo "evil:x:4242:4242::/:/bin/sh" >"$VICTIM/passwd"
mkdir -p "$VICTIM/work" "$VICTIM/data"
VICTIM_BEFORE=$(victim_state)

up=../../../../../../../../../..
links_image() { # links_image NAME TARGETS-IN-ROOT(yes|no)
  local root
  root=$(mktemp -d "$E2E_WORK/root.XXXXXX")
  busybox_rootfs "$root"
  ln -s "$VICTIM/proc" "$root/proc"
  ln -s "$up$VICTIM/dev" "$root/dev"
  ln -s "$VICTIM_TMP/sys" "$root/sys"
  rm "$root/etc/passwd"
  ln -s "$VICTIM/passwd" "$root/etc/passwd"
  ln -s "$VICTIM/hosts" "$root/etc/hosts"
  ln -s "$up$VICTIM/hostname" "$root/etc/hostname"
  ln -s "$up$VICTIM_TMP/resolv.conf" "$root/etc/resolv.conf"
  ln -s "$VICTIM/data" "$root/data"
  ln -s "$up$VICTIM/work" "$root/work"
  ln -s "$up$VICTIM_TMP/data2" "$root/data2"
  ln -s "$VICTIM_TMP" "$root/mnt"
  if [ "$2" = yes ]; then
    mkdir -p "$root$VICTIM/work" "$root$VICTIM/data"
    chmod 1777 "$root$VICTIM/work"  # the image user writes there
    echo "evil:x:1234:1234::/:/bin/sh" >"$root$VICTIM/passwd"
    oci_image "$root" "$1" '{"User": "evil"}'
  else
    oci_image "$root" "$1"
  fi
}
links_image localhost/hostile-inroot:1 yes
links_image localhost/hostile-dangling:1 no
on_exit '"$PODLET" image rm localhost/hostile-inroot:1 localhost/hostile-dangling:1'

container() { # container NAME IMAGE EXTRA-CHECKS
  cat <<YAML
    - name: $1
      image: $2
      imagePullPolicy: Never
      workingDir: /work
      volumeMounts:
        - {name: data, mountPath: /data}
        - {name: data, mountPath: /data2}
        - {name: data, mountPath: /mnt/deep/data3}
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
          check "/etc/hosts is the pod's" grep -q "Kubernetes-managed hosts file" /etc/hosts
          check "/etc/hostname is the pod's" grep -qx links /etc/hostname
          check "/etc/resolv.conf is mounted in the root" grep -qE " ($VICTIM_TMP/|/etc/)resolv.conf " /proc/self/mountinfo
          check "/proc is procfs" grep -q "^Name:" /proc/self/status
          check "/proc/sys is read-only" grep -qE " ($VICTIM)?/proc/sys ro," /proc/self/mountinfo
          check "/dev/null" sh -c 'test -c /dev/null && echo x >/dev/null'
          check "/dev/pts" test -c /dev/pts/ptmx
          check "/sys is sysfs" test -d /sys/class
          refused "/sys is read-only" touch /sys/x
          check "the volume is mounted" sh -c 'echo $1 >/data/from-$1'
          check "the volume is mounted through a ../ link" test -e /data2/from-$1
          check "the volume is mounted below a linked dir" test -e /mnt/deep/data3/from-$1
          check "the working dir is in the root" sh -c 'case "\$(pwd -P)" in /work|$VICTIM/work) touch here ;; *) false ;; esac'
$3
          echo DONE
          $LOOP
YAML
}
f=$(manifest links <<YAML
apiVersion: v1
kind: Pod
metadata: {name: links, namespace: hostile-links}
spec:
  terminationGracePeriodSeconds: 2
  volumes:
    - {name: data, emptyDir: {}}
  containers:
$(container inroot localhost/hostile-inroot:1 '          check "the image user comes from the root'"'"'s /etc/passwd" sh -c "[ \$(id -u) = 1234 ]"')
$(container dangling localhost/hostile-dangling:1 '')
YAML
)
play_ok "$f"
container_report hostile-links/links inroot >/dev/null
container_report hostile-links/links dangling >/dev/null
data=$PODLET_ROOT/pods/hostile-links_links/volumes/data
[ -e "$data/from-inroot" ] && [ -e "$data/from-dangling" ] || fail "the volume is not where the containers wrote"
assert_victim_untouched "while the pod runs"
down_clean hostile-links/links
assert_victim_untouched "after down"

# A mount point that leads into /proc (or /sys) is refused: mounting over the kernel's
# files would hide what podlet masks or makes read-only.
root=$(mktemp -d "$E2E_WORK/root.XXXXXX")
busybox_rootfs "$root"
ln -s /proc/sys/kernel "$root/data"
oci_image "$root" localhost/hostile-procdest:1
on_exit '"$PODLET" image rm localhost/hostile-procdest:1'
f=$(manifest procdest <<YAML
apiVersion: v1
kind: Pod
metadata: {name: procdest, namespace: hostile-links}
spec:
  volumes:
    - {name: data, emptyDir: {}}
  containers:
    - name: app
      image: localhost/hostile-procdest:1
      imagePullPolicy: Never
      volumeMounts:
        - {name: data, mountPath: /data}
      command: [/bin/sleep, "1000"]
YAML
)
rc=0
err=$("$PODLET" play "$f" 2>&1) || rc=$?
[ $rc != 0 ] || fail "a volume mounted over /proc/sys/kernel was accepted"
grep -q "resolves into /proc or /sys" <<<"$err" || fail "the error does not say why: $err"
assert_clean hostile-links
assert_victim_untouched "after the refused play"
