#!/usr/bin/env bash
# Builds a busybox root filesystem tarball from Debian's busybox-static and imports
# it as an image:  contrib/make-busybox-image.sh PODLET_BINARY [NAME]
# NAME defaults to localhost/busybox:latest; PODLET_ROOT selects the store.
set -euo pipefail
podlet=${1:?usage: $0 PODLET_BINARY [NAME]}
name=${2:-localhost/busybox:latest}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "$0: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,home,var,proc,sys,dev,run}
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cp "$busybox" "$root/bin/busybox"
# Every applet as a symlink where busybox expects it to live (bin/ for the rest).
"$busybox" --list-full | while read -r applet; do
  [ "$applet" = bin/busybox ] && continue
  case "$applet" in */*) dest=$applet ;; *) dest=bin/$applet ;; esac
  mkdir -p "$root/$(dirname "$dest")"
  [ -e "$root/$dest" ] || ln -s /bin/busybox "$root/$dest"
done
cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/rootfs.tar" .
"$podlet" image import "$work/rootfs.tar" "$name"
