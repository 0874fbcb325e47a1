#!/usr/bin/env bash
# cross/build.sh ARCH [OUTDIR] — build a static, stripped minik for a board
# and leave it at OUTDIR/minik-ARCH (default OUTDIR: cross/out).
#
#   ARCH: aarch64 (or arm64), armhf, x86_64 (or amd64)
#
# The target's libraries are Debian's own -dev packages for that
# architecture, fetched with `apt-get download` and unpacked with `dpkg -x`
# into cross/sysroot-ARCH. apt runs on a private package index in a temporary
# folder: the host's dpkg architectures and apt lists are never touched, and
# root is not needed. Arch-independent inputs (nlohmann, catch2, llhttp's C
# sources) come from the host. Once the sysroot is complete, later runs skip
# the downloads and rebuild incrementally in build-cross-ARCH; delete
# cross/sysroot-ARCH to pick up newer Debian packages.
set -euo pipefail

usage() {
  echo "usage: $0 aarch64|arm64|armhf|x86_64|amd64 [OUTDIR]" >&2
  exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
case "$1" in
  aarch64 | arm64) arch=aarch64 deb_arch=arm64 triplet=aarch64-linux-gnu ;;
  armhf) arch=armhf deb_arch=armhf triplet=arm-linux-gnueabihf ;;
  x86_64 | amd64) arch=x86_64 deb_arch=amd64 triplet=x86_64-linux-gnu ;;
  *) usage ;;
esac

cross_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(dirname "$cross_dir")
sysroot=$cross_dir/sysroot-$arch
build_dir=$source_dir/build-cross-$arch
out_dir=${2:-$cross_dir/out}

# What minik links against. The library packages they depend on are added by
# asking apt, so a soname bump in Debian needs no edit here.
dev_packages=(libsqlite3-dev libuv1-dev libyaml-cpp-dev libnl-3-dev libnl-genl-3-dev
  libnl-route-3-dev libnftnl-dev libmbedtls-dev)
# Header-only and arch-independent: linked from the host into the sysroot,
# where the toolchain file's target-only header search finds them.
host_headers=(/usr/include/nlohmann /usr/include/catch2)
# Records, inside a complete sysroot, which packages it was made from.
stamp=$sysroot/.minik-packages

die() {
  echo "cross/build.sh: $*" >&2
  exit 1
}

for tool in "$triplet-g++" "$triplet-strip" cmake apt-get apt-cache dpkg flock; do
  command -v "$tool" > /dev/null ||
    die "$tool not found (scripts/install-deps.sh installs the cross toolchains)"
done

# Two runs for the same ARCH (e.g. ctest -j and a manual build) would fight
# over the sysroot and the build dir.
mkdir -p "$build_dir"
exec 9> "$build_dir/.cross-build.lock"
flock 9

# Fills the sysroot from scratch. It is assembled beside its final place and
# renamed only when complete, so an interrupted run leaves nothing half done.
fetch_sysroot() {
  local apt_dir
  apt_dir=$(mktemp -d)
  trap 'rm -rf "$apt_dir"' EXIT
  mkdir -p "$apt_dir"/{lists/partial,cache/archives/partial,debs}
  : > "$apt_dir/status"
  local apt_opts=(-o "APT::Architecture=$deb_arch" -o "APT::Architectures::=$deb_arch"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::State::status=$apt_dir/status"
    -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=$(id -un)")

  echo "cross/build.sh: fetching $deb_arch package lists"
  # Some mirrors serve a stale index for one suite (bookworm-security armhf
  # has been seen to fail its size check); the packages usually still resolve
  # from the others, and a package that does not makes `download` fail below.
  apt-get "${apt_opts[@]}" -qq update ||
    echo "cross/build.sh: warning: some $deb_arch package lists failed to download; going on" >&2

  # The toolchain brings the C and C++ runtimes; pkg-config is a host tool;
  # a -dev package depending on another one in the list needs it only once.
  local resolved lib_packages
  resolved=$(apt-cache "${apt_opts[@]}" depends --no-recommends --no-suggests \
    --no-conflicts --no-breaks --no-replaces --no-enhances "${dev_packages[@]}" |
    awk '$1 ~ /^\|?Depends:$/ && $2 !~ /^</ { print $2 }' |
    grep -E '^lib' | grep -v -E '^lib(c6|gcc|stdc\+\+)' |
    grep -v -x -F -f <(printf '%s\n' "${dev_packages[@]}") | sort -u) ||
    die "apt-cache could not resolve the $deb_arch dependencies of ${dev_packages[*]}"
  mapfile -t lib_packages <<< "$resolved"

  echo "cross/build.sh: downloading ${dev_packages[*]} ${lib_packages[*]}"
  (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" -qq download "${dev_packages[@]}" "${lib_packages[@]}") ||
    die "apt-get download for $deb_arch failed"

  rm -rf "$sysroot.partial"
  mkdir -p "$sysroot.partial"
  local deb
  for deb in "$apt_dir"/debs/*.deb; do
    dpkg -x "$deb" "$sysroot.partial"
  done
  printf '%s\n' "${dev_packages[@]}" > "$sysroot.partial/.minik-packages"
  rm -rf "$sysroot"
  mv "$sysroot.partial" "$sysroot"
  rm -rf "$apt_dir"
  trap - EXIT
}

if [ "$(cat "$stamp" 2> /dev/null)" = "$(printf '%s\n' "${dev_packages[@]}")" ]; then
  echo "cross/build.sh: sysroot $sysroot is complete; no download"
else
  fetch_sysroot
fi
mkdir -p "$sysroot/usr/include"
for dir in "${host_headers[@]}"; do
  if [ -d "$dir" ]; then ln -sfn "$dir" "$sysroot/usr/include/$(basename "$dir")"; fi
done

cmake -S "$source_dir" -B "$build_dir" \
  -DCMAKE_TOOLCHAIN_FILE="$cross_dir/$triplet.cmake" \
  -DCMAKE_BUILD_TYPE=MinSizeRel -DMINIK_STATIC=ON -DMINIK_TESTS=OFF > "$build_dir/configure.log" ||
  { cat "$build_dir/configure.log" >&2; die "cmake configure for $arch failed"; }
cmake --build "$build_dir" --target minik -j "${MINIK_JOBS:-$(nproc)}"

# The build dir keeps the symbols (for gdb-multiarch); the board gets none.
mkdir -p "$out_dir"
"$triplet-strip" -o "$out_dir/minik-$arch.tmp" "$build_dir/minik"
mv -f "$out_dir/minik-$arch.tmp" "$out_dir/minik-$arch"
echo "cross/build.sh: $out_dir/minik-$arch ($(stat -c %s "$out_dir/minik-$arch") bytes)"
