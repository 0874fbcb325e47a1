#!/usr/bin/env bash
# Cross builds work end to end: cross/build.sh makes a static, stripped minik
# for aarch64 and armhf, and each runs `minik version` under qemu-user.
# Exit 0 = pass, 1 = a real failure, 77 = skipped because the cross toolchains
# or qemu are not installed (scripts/install-deps.sh installs them).
set -uo pipefail

source_dir=${MINIK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# arch, compiler, emulator, what `file` names the machine
targets=(
  "aarch64 aarch64-linux-gnu-g++ qemu-aarch64-static ARM aarch64"
  "armhf arm-linux-gnueabihf-g++ qemu-arm-static ARM, EABI5"
)

missing=()
for tool in file apt-get dpkg; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
for target in "${targets[@]}"; do
  read -r _ compiler emulator _ <<< "$target"
  command -v "$compiler" > /dev/null || missing+=("$compiler")
  command -v "$emulator" > /dev/null || missing+=("$emulator")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "SKIP: cross toolchain not installed (missing: ${missing[*]}); run scripts/install-deps.sh"
  exit 77
fi

# Binaries go to a scratch folder so that the test never overwrites what a
# developer left in cross/out; the sysroots and build dirs are shared.
out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

for target in "${targets[@]}"; do
  read -r arch _ emulator machine <<< "$target"
  binary=$out_dir/minik-$arch
  echo "== $arch"
  if ! bash "$source_dir/cross/build.sh" "$arch" "$out_dir"; then
    fail "cross/build.sh $arch"
    continue
  fi
  description=$(file -b "$binary")
  echo "file: $description"
  [[ $description == *"statically linked"* ]] || fail "$arch binary is not statically linked"
  [[ $description == *", $machine"* ]] || fail "$arch binary is not for $machine"
  [[ $description == *", stripped"* ]] || fail "$arch binary is not stripped"
  version=$(timeout 60 "$emulator" "$binary" version 2>&1)
  status=$?
  echo "$emulator minik version: $version"
  [ $status -eq 0 ] || fail "$arch: minik version exited $status under $emulator"
  [[ $version == "minik version"* ]] || fail "$arch: minik version printed '$version'"
done

if [ $failures -gt 0 ]; then
  echo "cross_smoke: $failures failure(s)" >&2
  exit 1
fi
echo "cross_smoke: aarch64 and armhf build static and run under qemu"
