#!/usr/bin/env bash
# scripts/install-deps.sh — install what building and testing minik needs on
# Debian 12 (bookworm): the compiler and CMake, the -dev packages minik links
# statically, the test tools (dig, ip), and the cross toolchains with
# qemu-user for the ARM builds (cross/build.sh fetches the ARM libraries
# itself). When everything is already installed it does not run apt at all,
# so it is cheap to call before every test run.
set -euo pipefail

packages=(
  build-essential cmake pkg-config file
  libsqlite3-dev libuv1-dev libyaml-cpp-dev
  libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libnftnl-dev libmbedtls-dev
  node-llhttp catch2 nlohmann-json3-dev
  dnsutils iproute2
  qemu-user-static g++-aarch64-linux-gnu g++-arm-linux-gnueabihf
  curl ca-certificates
  python3-minimal util-linux clang libclang-rt-14-dev
  dnsperf knot
  runc crun busybox-static
  nftables qemu-system-x86 ipvsadm cpio
)

# dpkg-query names only the packages it knows; any other is missing too.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2> /dev/null |
  awk '$2 == "installed" { print $1 }' || true)
missing=()
for package in "${packages[@]}"; do
  grep -q -x -F "$package" <<< "$installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
