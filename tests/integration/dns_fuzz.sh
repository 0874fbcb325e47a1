#!/usr/bin/env bash
# Fuzzes the DNS packet paths (tests/fuzz/dns_packet_fuzz.cpp) with libFuzzer
# under ASan and UBSan for a bounded time: DNS_FUZZ_SECONDS (default 60).
# Exit 77 (skipped) when clang is missing. A crash leaves its input in the
# work folder and fails the test.
set -euo pipefail
SRC=${MINIK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLANG=$(command -v clang++ || command -v clang++-16 || command -v clang++-14 || true)
[ -n "$CLANG" ] || { echo "SKIP: clang++ missing (Debian package clang)"; exit 77; }
WORK=$(mktemp -d /tmp/minik-dns-fuzz.XXXXXX)
BIN=$WORK/dns_packet_fuzz
"$CLANG" -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$SRC" "$SRC"/tests/fuzz/dns_packet_fuzz.cpp "$SRC"/dns/wire.cpp "$SRC"/dns/zone.cpp \
  "$SRC"/dns/resolver.cpp "$SRC"/dns/responder.cpp "$SRC"/dns/answer_cache.cpp \
  "$SRC"/dns/client_ranges.cpp "$SRC"/dns/forwarder.cpp -luv -lpthread -o "$BIN"

# Seeds: well-formed queries for each record form, with and without EDNS.
mkdir -p "$WORK/corpus"
seed() {  # seed FILE NAME TYPE [EDNS]
  local out=$1 name=$2 type=$3 edns=${4:-}
  { printf '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00%b' "$([ -n "$edns" ] && echo '\x01' || echo '\x00')"
    local IFS=.; for l in $name; do printf "\\x$(printf %02x ${#l})%s" "$l"; done
    printf '\x00\x00%b\x00\x01' "\\x$(printf %02x "$type")"
    [ -n "$edns" ] && printf '\x00\x00\x29\x04\xd0\x00\x00\x80\x00\x00\x00'
    true; } > "$WORK/corpus/$out"
}
seed a ent.dev.svc.cluster.local 1
seed srv _http._tcp.ent.dev.svc.cluster.local 33 edns
seed headless db.dev.svc.cluster.local 1 edns
seed host db-0.db.dev.svc.cluster.local 1
seed ptr 1.1.43.10.in-addr.arpa 12
seed ext ext.dev.svc.cluster.local 28 edns
seed pod 10-42-0-1.dev.pod.cluster.local 1
seed txt dns-version.cluster.local 16
seed out www.example.com 1 edns

SECONDS_TO_RUN=${DNS_FUZZ_SECONDS:-60}
cd "$WORK"
if "$BIN" -max_total_time="$SECONDS_TO_RUN" -max_len=2048 -print_final_stats=1 -artifact_prefix="$WORK/" \
    "$WORK/corpus" > "$WORK/fuzz.log" 2>&1; then
  grep -E '^stat::number_of_executed_units|^Done' "$WORK/fuzz.log" || true
  echo "fuzzed ${SECONDS_TO_RUN}s without a finding"
  rm -rf "$WORK"
else
  tail -60 "$WORK/fuzz.log"
  echo "FAIL: the fuzzer found a crash; inputs and log kept in $WORK"
  exit 1
fi
