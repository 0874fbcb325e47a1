#!/usr/bin/env bash
# bench/pods.sh [N] [MINIK] — pods really running on this node: the time from
# `kubectl apply` of a Deployment of N replicas (default 50; busybox httpd
# with an HTTP readiness probe, image built here from the static busybox)
# to all N pods Ready, the time to delete them all, and minik's own RSS
# (the shim's cost, not the containers') before and with them running.
# Needs root, runc, busybox-static, python3, kubectl. Cleans up everything it made.
set -euo pipefail
N=${1:-50}
MINIK=${2:-${MINIK:-$(dirname "$0")/../build/minik}}
MINIK=$(realpath "$MINIK")
HERE=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "bench/pods: needs root"; exit 1; }
RUNC=$(command -v runc) || { echo "bench/pods: needs runc"; exit 1; }
WORK=$(mktemp -d /tmp/minik-bench-pods.XXXXXX)
DATA=$WORK/data
KCFG=$WORK/kubeconfig.yaml
PORT=$(( 20000 + RANDOM % 40000 ))
BRIDGE_EXISTED=0
ip link show minik0 >/dev/null 2>&1 && BRIDGE_EXISTED=1
PID=

cleanup() {
  [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  for id in $("$RUNC" --root "$DATA/runc" list -q 2>/dev/null); do "$RUNC" --root "$DATA/runc" delete --force "$id" >/dev/null 2>&1 || true; done
  for uid in $(ls "$DATA/pods" 2>/dev/null); do
    short=$(echo "$uid" | tr -d - | cut -c1-12)
    ip link del "mk$short" 2>/dev/null || true
    umount -l "/run/netns/minik-$short" 2>/dev/null || true
    rm -f "/run/netns/minik-$short"
  done
  { grep " $WORK/" /proc/self/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  [ "$BRIDGE_EXISTED" -eq 1 ] || ip link del minik0 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }
kc() { kubectl --kubeconfig "$KCFG" "$@"; }

mkdir -p "$WORK/images"
python3 "$HERE/../tests/integration/busybox_image.py" "$WORK/images/web.tar" bench/web:1 docker \
  --cmd '["httpd","-f","-p","8080","-h","/www"]' --file /www/index.html=ok
# Only the shim's cost: no service proxy where the binary has one.
PROXY=()
"$MINIK" help server | grep -q -- "--proxy-mode" && PROXY=(--proxy-mode none)
"$MINIK" server --data-dir "$DATA" --https-listen-port "$PORT" --write-kubeconfig "$KCFG" \
  --container-runtime runc --images-dir "$WORK/images" "${PROXY[@]}" > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 2
IDLE=$(rss_kib)

cat > "$WORK/deploy.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: $N
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: bench/web:1
        ports: [{containerPort: 8080}]
        readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 1}
YAML
START=$(now_ms)
kc apply -f "$WORK/deploy.yaml" >/dev/null
until [ "$(kc get deploy web -o jsonpath='{.status.readyReplicas}')" = "$N" ]; do sleep 0.2; done
READY=$(now_ms)
sleep 5
RUNNING=$(rss_kib)
PEAK=$(awk '/^VmHWM/ {print $2}' "/proc/$PID/status")
DSTART=$(now_ms)
kc delete deploy web --wait=true >/dev/null
until [ "$(kc get pods --no-headers 2>/dev/null | wc -l)" = 0 ]; do sleep 0.2; done
GONE=$(now_ms)

echo "bench/pods: $N pods (busybox httpd, HTTP readiness probe) with $(basename "$RUNC"), $(nproc) cores"
echo "  apply -> all $N Ready:      $(( READY - START )) ms"
echo "  delete -> all $N gone:      $(( GONE - DSTART )) ms (terminationGracePeriodSeconds 1)"
echo "  minik RSS idle:             $IDLE KiB"
echo "  minik RSS with $N running:  $RUNNING KiB (peak $PEAK KiB)"
