#!/usr/bin/env bash
# bench/dns.sh — cluster DNS figures, measured as shared/dns-reference/README.md
# describes, minik and a reference server in the same run:
#   - QPS and server CPU µs/query under dnsperf for the reference name set
#     (10 namespaces x 100 Services with a named port http 80/TCP; 10,000
#     queries: 80 % A, 10 % SRV, 10 % NXDOMAIN), minik and knot interleaved
#     A B A B, servers pinned to core 0 and dnsperf to core 1; medians;
#   - minik's RSS before the Services, with them, and with 10 ready endpoints
#     per Service (10,000 endpoints);
#   - p50/p99 time from an API write (HTTP POST of a Service) to the changed
#     DNS answer, and the part of it after the write was acknowledged.
# Reference: knot (one UDP worker, the run-knot.sh set-up): the fastest of the
# servers measured there, serving an RFC 1035 zone with the same records.
#
# Usage: MINIK=build/minik bench/dns.sh   [ROUNDS=3 DURATION=15 UPDATES=200]
# Needs: dnsperf, knot (knotd), python3, curl, taskset. Use a Release build.
set -euo pipefail
MINIK=${MINIK:-$(cd "$(dirname "$0")/.." && pwd)/build/minik}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
UPDATES=${UPDATES:-200}
for tool in dnsperf knotd python3 curl taskset; do
  command -v "$tool" >/dev/null || { echo "bench/dns: $tool missing (apt-get install dnsperf knot python3 curl util-linux)"; exit 1; }
done
W=$(mktemp -d /tmp/minik-bench-dns.XXXXXX)
APIPORT=$(( 30000 + RANDOM % 20000 ))
MPORT=$(( APIPORT + 1 ))
KPORT=$(( APIPORT + 2 ))
MPID= KPID=
cleanup() {
  [ -n "$MPID" ] && kill "$MPID" 2>/dev/null && wait "$MPID" 2>/dev/null
  [ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

# --- the reference zone and queries (as shared/dns-reference/gen.py) --------
python3 - "$W" <<'PY'
import json, os, random, sys
out = sys.argv[1]
names = [(f"svc-{n}.ns-{m}.svc.cluster.local", f"10.43.{m}.{n + 1}") for m in range(10) for n in range(100)]
os.makedirs(f"{out}/zones", exist_ok=True)
with open(f"{out}/zones/cluster.local.zone", "w") as f:
    f.write("$ORIGIN cluster.local.\n$TTL 30\n")
    f.write("@ IN SOA ns.cluster.local. hostmaster.cluster.local. 2024010101 7200 1800 86400 30\n")
    f.write("@ IN NS ns.cluster.local.\nns IN A 127.0.0.1\ndns-version IN TXT \"1.1.0\"\n")
    for fq, ip in names: f.write(f"{fq}. IN A {ip}\n")
    for fq, ip in names: f.write(f"_http._tcp.{fq}. IN SRV 0 100 80 {fq}.\n")
rnd = random.Random(20240101)
q = []
for _ in range(8): q += [f"{fq} A" for fq, _ip in names]
q += [f"_http._tcp.{fq} SRV" for fq, _ip in names]
for i in range(1000): q.append(f"missing-{i % 100}.ns-{i // 100}.svc.cluster.local A")
rnd.shuffle(q)
with open(f"{out}/queries.txt", "w") as f: f.write("\n".join(q) + "\n")
PY

# --- the servers -------------------------------------------------------------
echo "# no upstream: the benchmark asks cluster names only" > "$W/resolv.conf"
taskset -c 0 "$MINIK" server --data-dir "$W/data" --https-listen-port "$APIPORT" \
  --write-kubeconfig "$W/kubeconfig.yaml" --dns-listen "127.0.0.1:$MPORT" \
  --resolv-conf "$W/resolv.conf" --proxy-mode none --container-runtime none >"$W/minik.log" 2>&1 &
MPID=$!
for _ in $(seq 1 200); do curl -fsS "http://127.0.0.1:$APIPORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
sleep 1
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
RSS_EMPTY=$(rss "$MPID")

# Services through the API, with the reference zone's names. Their ClusterIPs
# are 10.43.(100+M).(N+1): the reference's 10.43.0.1 and .10 are taken by
# kubernetes and kube-dns, and no query asks for an address.
python3 - "$APIPORT" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
def post(path, body):
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse(); data = r.read()
    if r.status not in (200, 201, 409): sys.exit(f"POST {path}: {r.status} {data[:300]}")
for m in range(10):
    post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"ns-{m}"}})
    for n in range(100):
        post(f"/api/v1/namespaces/ns-{m}/services", {"apiVersion": "v1", "kind": "Service",
             "metadata": {"name": f"svc-{n}", "namespace": f"ns-{m}"},
             "spec": {"clusterIP": f"10.43.{100 + m}.{n + 1}",
                      "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}})
PY
for _ in $(seq 1 100); do
  [ "$(dig @127.0.0.1 -p "$MPORT" +short svc-99.ns-9.svc.cluster.local 2>/dev/null)" = 10.43.109.100 ] && break
  sleep 0.1
done
sleep 2
RSS_ZONE=$(rss "$MPID")

mkdir -p "$W/knot/db" "$W/knot/run"
cat > "$W/knot.conf" <<K
server:
    rundir: "$W/knot/run"
    listen: 127.0.0.1@$KPORT
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
log:
  - target: stderr
    any: warning
database:
    storage: "$W/knot/db"
template:
  - id: default
    storage: "$W/zones"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: cluster.local
    file: "cluster.local.zone"
K
taskset -c 0 knotd -c "$W/knot.conf" >"$W/knot.log" 2>&1 &
KPID=$!
for _ in $(seq 1 100); do
  [ -n "$(dig @127.0.0.1 -p "$KPORT" +short svc-99.ns-9.svc.cluster.local 2>/dev/null)" ] && break
  sleep 0.05
done
RSS_KNOT=$(rss "$KPID")

# Both answer the same way before we time them.
for name in svc-5.ns-3.svc.cluster.local _http._tcp.svc-5.ns-3.svc.cluster.local missing-1.ns-1.svc.cluster.local; do
  for port in "$MPORT" "$KPORT"; do
    dig @127.0.0.1 -p "$port" "$name" "$( [[ $name == _* ]] && echo SRV || echo A)" +noall +comments +answer |
      grep -Eo 'status: [A-Z]+|SRV.*|IN\s+A.*' | sed 's/10\.43\.[0-9.]*/IP/' | tr -s ' \t' ' ' > "$W/check.$port"
  done
  cmp -s "$W/check.$MPORT" "$W/check.$KPORT" || { echo "bench/dns: minik and knot differ on $name:"; cat "$W/check.$MPORT" "$W/check.$KPORT"; }
done

# --- throughput, interleaved ------------------------------------------------------
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() {  # run NAME PID PORT -> "qps us_per_query"
  local before after
  before=$(ticks "$2")
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$3" -d "$W/queries.txt" -l "$DURATION" -Q 500000 -T 2 -c 4 >"$W/perf.out" 2>&1
  after=$(ticks "$2")
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /Queries completed:/ {done = $3}
    /Queries lost:/ {lost = $3}
    /Queries per second:/ {qps = $4}
    END {printf "%.0f %.2f %s\n", qps, t * 1000000 / hz / done, lost}' "$W/perf.out"
}
: > "$W/minik.runs"; : > "$W/knot.runs"
for r in $(seq 1 "$ROUNDS"); do
  read -r q u l < <(run minik "$MPID" "$MPORT"); echo "$q $u" >> "$W/minik.runs"
  echo "round $r minik: $q QPS, $u µs/query, lost $l"
  read -r q u l < <(run knot "$KPID" "$KPORT"); echo "$q $u" >> "$W/knot.runs"
  echo "round $r knot:  $q QPS, $u µs/query, lost $l"
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# --- API write -> answer ---------------------------------------------------------
python3 - "$APIPORT" "$MPORT" "$UPDATES" > "$W/latency.out" <<'PY'
import http.client, json, socket, struct, sys, time
api, port, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", api)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
total, after_ack = [], []
for i in range(n):
    name = f"lat-{i}"
    qname = b"".join(bytes([len(l)]) + l.encode() for l in f"{name}.default.svc.cluster.local".split(".")) + b"\0"
    query = struct.pack("!HHHHHH", i, 0x0100, 1, 0, 0, 0) + qname + struct.pack("!HH", 1, 1)
    body = json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default"},
                       "spec": {"clusterIP": f"10.43.{200 + i // 250}.{i % 250 + 1}",
                                "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}})
    t0 = time.perf_counter()
    c.request("POST", "/api/v1/namespaces/default/services", body, {"Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    t1 = time.perf_counter()
    if r.status != 201: sys.exit(f"create {name}: {r.status}")
    while True:
        s.sendto(query, ("127.0.0.1", port))
        try: resp = s.recv(4096)
        except socket.timeout: continue
        if resp[:2] == query[:2] and resp[3] & 15 == 0 and struct.unpack("!H", resp[6:8])[0] > 0: break
    t2 = time.perf_counter()
    total.append((t2 - t0) * 1000); after_ack.append((t2 - t1) * 1000)
def pct(v, p): v = sorted(v); return v[min(len(v) - 1, int(len(v) * p / 100))]
print(f"{pct(total, 50):.2f} {pct(total, 99):.2f} {pct(after_ack, 50):.2f} {pct(after_ack, 99):.2f}")
PY
read -r L50 L99 A50 A99 < "$W/latency.out"

# --- memory with 10,000 endpoints ---------------------------------------------------
python3 - "$APIPORT" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for m in range(10):
    for n in range(100):
        body = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": f"svc-{n}-x", "namespace": f"ns-{m}",
                             "labels": {"kubernetes.io/service-name": f"svc-{n}"}},
                "addressType": "IPv4", "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
                "endpoints": [{"addresses": [f"10.42.{m * 25 + n // 4}.{(n % 4) * 10 + e + 1}"],
                               "conditions": {"ready": True}} for e in range(10)]}
        c.request("POST", f"/apis/discovery.k8s.io/v1/namespaces/ns-{m}/endpointslices", json.dumps(body),
                  {"Content-Type": "application/json"})
        r = c.getresponse(); data = r.read()
        if r.status != 201: sys.exit(f"slice: {r.status} {data[:300]}")
PY
sleep 2
RSS_ENDPOINTS=$(rss "$MPID")

echo
echo "cluster DNS, reference name set, ${ROUNDS} x ${DURATION}s interleaved, medians (server core 0, dnsperf core 1):"
printf "%-8s %10s %16s %10s\n" server QPS "µs/query (CPU)" "RSS KiB"
printf "%-8s %10s %16s %10s\n" minik "$(cut -d' ' -f1 "$W/minik.runs" | median)" \
  "$(cut -d' ' -f2 "$W/minik.runs" | median)" "$RSS_ZONE"
printf "%-8s %10s %16s %10s\n" knot "$(cut -d' ' -f1 "$W/knot.runs" | median)" \
  "$(cut -d' ' -f2 "$W/knot.runs" | median)" "$RSS_KNOT"
echo "minik RSS: ${RSS_EMPTY} KiB without the zone, ${RSS_ZONE} KiB with 1,000 Services, ${RSS_ENDPOINTS} KiB with 10,000 endpoints too"
echo "API write -> new answer (${UPDATES} Services): p50 ${L50} ms, p99 ${L99} ms; after the write's 201: p50 ${A50} ms, p99 ${A99} ms"
