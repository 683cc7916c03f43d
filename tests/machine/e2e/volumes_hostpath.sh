#!/usr/bin/env bash
# hostPath volumes and their `type` checks: Directory, DirectoryOrCreate, File,
# FileOrCreate, Socket and "" are mounted (created where the type says so, with the
# kubelet's modes); a path that is not of the declared type fails play with an error
# naming the volume, and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
use_namespace hostpath
ensure_busybox

base=/var/lib/podlet-test/hostpath-$$
rm -rf "$base"
mkdir -p "$base/dir" "$base/any"
on_exit 'rm -rf "$base"'
echo host-file >"$base/file"
echo any-host >"$base/any/a"
# A listening unix socket (perl-base is in every Debian).
perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 1) or die "$!"' "$base/sock"
[ -S "$base/sock" ] || fail "could not make a socket"

pod() { # pod NAME VOLUME-SOURCE-YAML MOUNT-PATH [CHECK-SCRIPT]
  manifest "$1" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: hostpath}
spec:
  terminationGracePeriodSeconds: 2
  volumes:
$2
  containers:
    - name: app
      image: localhost/busybox:latest
      imagePullPolicy: Never
      volumeMounts:
$3
      command:
        - /bin/sh
        - -c
        - |
          $CHECKS
${4:-}
          echo DONE
          $LOOP
YAML
}

f=$(pod good "\
    - {name: dir, hostPath: {path: $base/dir, type: Directory}}
    - {name: newdir, hostPath: {path: $base/new/dir, type: DirectoryOrCreate}}
    - {name: file, hostPath: {path: $base/file, type: File}}
    - {name: newfile, hostPath: {path: $base/newfile, type: FileOrCreate}}
    - {name: sock, hostPath: {path: $base/sock, type: Socket}}
    - {name: any, hostPath: {path: $base/any}}" "\
        - {name: dir, mountPath: /dir}
        - {name: newdir, mountPath: /newdir}
        - {name: file, mountPath: /file}
        - {name: newfile, mountPath: /newfile}
        - {name: sock, mountPath: /run/sock}
        - {name: any, mountPath: /any}" "\
          check 'Directory: writable' sh -c 'echo from-container >/dir/c'
          check 'DirectoryOrCreate: a directory' test -d /newdir
          check 'File: the host file' grep -qx host-file /file
          check 'FileOrCreate: an empty file' sh -c '[ -f /newfile ] && [ ! -s /newfile ]'
          check 'Socket: a socket' test -S /run/sock
          check 'no type: the host dir' grep -qx any-host /any/a")
"$PODLET" play "$f" || fail "play of valid hostPath volumes failed"
container_report hostpath/good app
[ "$(cat "$base/dir/c")" = from-container ] || fail "the container's write is not in the host dir"
[ "$(stat -c %a "$base/new/dir")" = 755 ] || fail "DirectoryOrCreate made mode $(stat -c %a "$base/new/dir"), not 755"
[ -f "$base/newfile" ] && [ "$(stat -c %a "$base/newfile")" = 644 ] || fail "FileOrCreate did not make a 0644 file"
down_clean hostpath/good
[ -e "$base/dir/c" ] && [ -S "$base/sock" ] || fail "down removed host files of a hostPath volume"

# Wrong types: play fails naming the volume, nothing is left.
wrong() { # wrong NAME PATH TYPE
  local f rc=0 err
  f=$(pod "$1" "    - {name: vol-$1, hostPath: {path: $2, type: $3}}" "        - {name: vol-$1, mountPath: /v}")
  err=$("$PODLET" play "$f" 2>&1) || rc=$?
  [ $rc != 0 ] || fail "play of a hostPath $2 of type $3 succeeded"
  grep -q "vol-$1" <<<"$err" || fail "the error for $2 (type $3) does not name the volume vol-$1: $err"
  assert_clean hostpath
}
wrong file-as-dir "$base/file" Directory
wrong missing-dir "$base/missing" Directory
wrong dir-as-file "$base/dir" File
wrong missing-file "$base/missing" File
wrong file-as-socket "$base/file" Socket
wrong dir-as-socket "$base/dir" Socket
wrong file-as-dircreate "$base/file" DirectoryOrCreate
wrong dir-as-filecreate "$base/dir" FileOrCreate
[ ! -e "$base/missing" ] || fail "a failed play created $base/missing"
