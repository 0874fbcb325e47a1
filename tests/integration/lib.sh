# tests/integration/lib.sh — shared by the integration tests: start the real
# minik binary as the quick start does (default flags; only paths and ports
# chosen), drive it with real kubectl, and check results. Source it; it sets
# `set -euo pipefail`.
#
# Every test runs as a board of its own: sourcing this file re-runs the test
# script inside a network namespace made for it (nsenter --net, so mounts
# stay shared with the host and a restarted server re-adopts its pods) with
# an `eth0` holding BOARD_IP/24 and a default route via BOARD_GATEWAY, whose
# far end sits in a second namespace standing for the board's LAN router.
# So the server's defaults (node address, cluster DNS on it, the service
# proxy's nftables table and routes, the pod bridge minik0) live in the
# board and never meet the host's own minik, nor another test's. Both
# namespaces go when the test ends, failed or not.
set -euo pipefail

: "${MINIK:?MINIK must point at the minik binary (ctest sets it)}"
BOARD_IP=192.168.50.2
BOARD_GATEWAY=192.168.50.1
if [ -z "${MINIK_BOARD:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root (each test runs minik in a network namespace of its own)"; exit 77; fi
  board=mk-board-$$ lan=mk-lan-$$
  if ! ip netns add "$board" 2>/dev/null; then echo "SKIP: cannot create network namespaces"; exit 77; fi
  ip netns add "$lan"
  ip -n "$lan" link add lan0 type veth peer name eth0 netns "$board"
  ip -n "$lan" addr add "$BOARD_GATEWAY/24" dev lan0
  ip -n "$lan" link set lan0 up
  ip -n "$board" link set lo up
  ip -n "$board" addr add "$BOARD_IP/24" dev eth0
  ip -n "$board" link set eth0 up
  ip -n "$board" route add default via "$BOARD_GATEWAY"
  rc=0
  MINIK_BOARD=$board nsenter --net="/run/netns/$board" bash "$0" "$@" || rc=$?
  ip netns del "$board" 2>/dev/null || true
  ip netns del "$lan" 2>/dev/null || true
  exit "$rc"
fi

KUBECTL=${KUBECTL:-kubectl}
WORK=$(mktemp -d /tmp/minik-it.XXXXXX)
KCFG=$WORK/kubeconfig.yaml
# Nor does a test read the host's kubeconfig (~/.kube/config, $KUBECONFIG).
export HOME=$WORK/home
mkdir -p "$HOME"
unset KUBECONFIG
SERVER_PID=
FAILURES=0

# What a server on its default runtime leaves when it stops: pods outlive
# minik (a restart re-adopts them), so a test's containers, their network
# namespaces' mounts (/run/netns/minik-<uid prefix>, in the host's mount
# namespace) and their root filesystems' mounts go here.
remove_pods() {
  local data=$WORK/data rt id uid short
  if [ -d "$data/runc" ]; then
    for rt in runc crun; do
      command -v "$rt" >/dev/null || continue
      for id in $("$rt" --root "$data/runc" list -q 2>/dev/null); do
        "$rt" --root "$data/runc" delete --force "$id" >/dev/null 2>&1 || true
      done
    done
  fi
  if [ -d "$data/pods" ]; then
    for uid in $(ls "$data/pods"); do
      short=$(echo "$uid" | tr -d - | cut -c1-12)
      umount -l "/run/netns/minik-$short" 2>/dev/null || true
      rm -f "/run/netns/minik-$short"
    done
  fi
  { grep " $WORK/" /proc/self/mounts || true; } | awk '{print $2}' | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  remove_pods
  if [ "$FAILURES" -eq 0 ]; then rm -rf "$WORK"; else echo "kept $WORK for inspection (server log: $WORK/server.log)"; fi
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }

# start_server [extra flags...]: starts `minik server` on the board as the
# quick start does (its own data dir, kubeconfig and port) and waits for
# /healthz. A test that adds a flag says beside it why a user would pass it.
start_server() {
  local port tries
  for tries in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 40000 ))
    "$MINIK" server --data-dir "$WORK/data" --https-listen-port "$port" \
      --write-kubeconfig "$KCFG" "$@" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    PORT=$port
    for _ in $(seq 1 100); do
      if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.05
    done
    kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true
  done
  echo "minik server did not start; log:" >&2; cat "$WORK/server.log" >&2
  exit 1
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

kc() { "$KUBECTL" --kubeconfig "$KCFG" "$@"; }

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
  if [ "$2" != "$3" ]; then fail "$1: expected [$3], got [$2]"; else echo "ok: $1"; fi
}

# expect_match NAME TEXT REGEX (grep -E, multi-line text). A here-string, not
# a pipe: under pipefail, grep -q exiting early would fail the writer.
expect_match() {
  if grep -Eq -- "$3" <<< "$2"; then echo "ok: $1"; else fail "$1: [$2] does not match /$3/"; fi
}

expect_no_match() {
  if grep -Eq -- "$3" <<< "$2"; then fail "$1: [$2] matches /$3/"; else echo "ok: $1"; fi
}

# must_fail NAME COMMAND...: the command must exit non-zero; its combined output is in $OUT.
must_fail() {
  local name=$1; shift
  if OUT=$("$@" 2>&1); then fail "$name: succeeded, expected failure: $OUT"; else echo "ok: $name fails"; fi
}

# run NAME COMMAND...: the command must succeed; its combined output is in $OUT.
run() {
  local name=$1; shift
  if OUT=$("$@" 2>&1); then echo "ok: $name"; else fail "$name: exit $?: $OUT"; fi
}

# wait_for SECONDS COMMAND...: retries the command every 0.1 s until it
# succeeds; false when it never did (the caller's check then reports it).
wait_for() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# settle COMMAND...: waits (up to 60 s) until two runs of the command one
# second apart print the same, so comparisons do not race the controllers.
settle() {
  local before after
  before=$("$@" 2>&1 || true)
  for _ in $(seq 1 60); do
    sleep 1
    after=$("$@" 2>&1 || true)
    [ "$after" = "$before" ] && return 0
    before=$after
  done
  return 1
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then echo "$FAILURES check(s) failed"; exit 1; fi
  echo "all checks passed"
}
