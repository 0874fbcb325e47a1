#!/usr/bin/env bash
# From a fresh Debian 12 machine (as root): installs what is missing, builds
# minik, installs it to /usr/local/bin and starts `minik server` on its
# embedded SQLite store (data in /var/lib/minik, log in /var/log/minik.log).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=MinSizeRel -DMINIK_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target minik
install -m 0755 build/minik /usr/local/bin/minik

# Replace a server this script started before, so a rebuild takes effect.
if [ -f /run/minik.pid ] && kill -0 "$(cat /run/minik.pid)" 2>/dev/null; then
  kill "$(cat /run/minik.pid)"; sleep 1
fi
setsid nohup /usr/local/bin/minik server "$@" >>/var/log/minik.log 2>&1 < /dev/null &
echo $! > /run/minik.pid
for _ in $(seq 1 100); do
  if curl -fsS http://127.0.0.1:6443/healthz >/dev/null 2>&1; then
    echo "minik server is running (pid $(cat /run/minik.pid)). Try:"
    echo "  KUBECONFIG=/etc/minik/minik.yaml kubectl get ns"
    exit 0
  fi
  sleep 0.1
done
echo "minik server did not become healthy; see /var/log/minik.log" >&2
exit 1
