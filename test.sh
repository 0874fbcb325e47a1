#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is
# missing, builds minik and its tests, runs them all. Exits non-zero when any
# test fails. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
# Tests on, whatever an earlier ./quickstart.sh left in build/'s cache.
cmake -S . -B build -DCMAKE_BUILD_TYPE=MinSizeRel -DMINIK_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build
# No tests found is a failure, never a green run.
ctest --output-on-failure --timeout 900 -j2 --no-tests=error
