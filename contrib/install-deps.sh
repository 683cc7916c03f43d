#!/usr/bin/env bash
# Installs every Debian package podlet needs to build, test and demo.
# Idempotent: the single place where the package list lives.
set -euo pipefail

build=(
  build-essential cmake pkg-config git clang clang-format clang-tidy libclang-rt-14-dev
  libyaml-cpp-dev nlohmann-json3-dev libsdbus-c++-dev libsdbus-c++-bin
  libnl-3-dev libnl-route-3-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libcli11-dev libarchive-dev libcurl4-openssl-dev
  libssl-dev libseccomp-dev libcap-dev libsystemd-dev libnftables-dev libtoml11-dev
)
runtime=(
  systemd systemd-container dbus nftables iproute2 util-linux
)
test=(
  busybox-static skopeo docker-registry curl procps psmisc hyperfine jq
  python3-grpcio  # a grpc.health.v1 server for the gRPC probe tests
)

missing=()
for p in "${build[@]}" "${runtime[@]}" "${test[@]}"; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# docker-registry and systemd must not be started on a host whose PID 1 is not systemd.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
