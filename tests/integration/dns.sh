#!/usr/bin/env bash
# Cluster DNS: the real minik server answering the real dig (and glibc's
# resolver through getent) for every record form of the Kubernetes DNS
# specification, negative answers with the SOA, TCP, truncation, EDNS0, case,
# rcodes for odd packets, forwarding with its cache and client check, and the
# namespace partition seen through a pod's search path.
#
# As root it re-runs itself in new network and mount namespaces: DNS on
# 127.0.0.1:53, a fake upstream on 127.0.0.2:53 (nothing leaves loopback),
# extra addresses on lo, and a resolv.conf of its own for getent. Without
# root, the checks that need those are skipped.
if [ -z "${MINIK_DNS_ISOLATED:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
  unshare -n -m true 2>/dev/null; then
  exec env MINIK_DNS_ISOLATED=1 unshare -n -m bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
command -v dig >/dev/null || { echo "SKIP: dig missing (Debian package dnsutils)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 missing (fake upstream resolver)"; exit 77; }

ISOLATED=${MINIK_DNS_ISOLATED:-}
if [ -n "$ISOLATED" ]; then
  ip link set lo up
  DNSPORT=53
  UPSTREAM=127.0.0.2
else
  DNSPORT=$(( 20000 + RANDOM % 40000 ))
  UPSTREAM=
fi

# --- a fake upstream resolver: *.example.test answers, counting queries ------
cat > "$WORK/upstream.py" <<'PY'
import socket, struct, sys, threading
addr = sys.argv[1]
count = [0]
def answer(q):
    ident, flags, qd = struct.unpack("!HHH", q[:6])
    at, labels = 12, []
    while q[at]:
        labels.append(q[at + 1:at + 1 + q[at]].decode().lower()); at += 1 + q[at]
    qtype, = struct.unpack("!H", q[at + 1:at + 3])
    question = q[12:at + 5]
    name = ".".join(labels)
    rcode, rrs = 0, []
    def a(ip, ttl=300):
        rrs.append(struct.pack("!HHHIH", 0xC00C, 1, 1, ttl, 4) + socket.inet_aton(ip))
    if name == "count.example.test":
        text = str(count[0]).encode()
        rrs.append(struct.pack("!HHHIH", 0xC00C, 16, 1, 0, len(text) + 1) + bytes([len(text)]) + text)
    else:
        count[0] += 1
        if name == "nx.example.test": rcode = 3
        elif name == "big.example.test" and qtype == 1:
            for i in range(100): a("192.0.2.%d" % (i + 1))
        elif name == "www.example.test" and qtype == 1: a("192.0.2.80")
        elif name.endswith("example.test") and qtype == 1: a("192.0.2.1")
        elif not name.endswith("example.test"): rcode = 3
    auth = []
    if rcode == 3:  # negative answers carry the SOA, which makes them cacheable (RFC 2308)
        soa = b"\x02ns\xc0\x0c\x0ahostmaster\xc0\x0c" + struct.pack("!IIIII", 1, 7200, 1800, 86400, 60)
        auth.append(struct.pack("!HHHIH", 0xC00C, 6, 1, 60, len(soa)) + soa)
    return struct.pack("!HHHHHH", ident, 0x8180 | rcode, 1, len(rrs), len(auth), 0) + question + b"".join(rrs + auth)
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr, 53))
    while True:
        q, peer = s.recvfrom(4096)
        try:
            r = answer(q)
            if len(r) > 512:  # no EDNS here: the question alone, truncated
                end = 12 + len(q[12:].split(b"\0", 1)[0]) + 5
                r = r[:2] + bytes([r[2] | 2, r[3]]) + b"\0\1\0\0\0\0\0\0" + r[12:end]
            s.sendto(r, peer)
        except Exception: pass
def tcp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((addr, 53)); s.listen(8)
    while True:
        c, _ = s.accept()
        try:
            n, = struct.unpack("!H", c.recv(2)); q = c.recv(n); r = answer(q)
            c.sendall(struct.pack("!H", len(r)) + r)
        except Exception: pass
        c.close()
threading.Thread(target=tcp, daemon=True).start()
udp()
PY
UPSTREAM_PID=
if [ -n "$UPSTREAM" ]; then
  python3 "$WORK/upstream.py" "$UPSTREAM" >"$WORK/upstream.log" 2>&1 &
  UPSTREAM_PID=$!
  trap 'kill $UPSTREAM_PID 2>/dev/null; cleanup' EXIT
  echo "nameserver $UPSTREAM" > "$WORK/upstream.conf"
else
  echo "# no upstream" > "$WORK/upstream.conf"
fi

# --dns-listen: a loopback port to dig, as a user checking the cluster DNS
# from the board's own shell passes it; --resolv-conf: a path (the upstream
# this test runs).
start_server --dns-listen "127.0.0.1:$DNSPORT" --resolv-conf "$WORK/upstream.conf"

# expect_match/expect_no_match without a pipe: lib.sh's printf | grep -q
# under pipefail fails at random when grep exits before printf is done.
expect_match() { if grep -Eq -- "$3" <<<"$2"; then echo "ok: $1"; else fail "$1: [$2] does not match /$3/"; fi; }
expect_no_match() { if grep -Eq -- "$3" <<<"$2"; then fail "$1: [$2] matches /$3/"; else echo "ok: $1"; fi; }
q() { dig @127.0.0.1 -p "$DNSPORT" +time=2 +tries=1 "$@" 2>&1; }
short() { q +short "$@" | sort; }
status() { q "$@" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }
# section NAME SECTION ARGS...: the records of one section, one per line, TTLs kept.
section() { local s=$1; shift; q +noall "+$s" "$@" | grep -v '^;' | sed '/^$/d'; }

for _ in $(seq 1 50); do [ "$(short dns-version.cluster.local TXT)" = '"1.1.0"' ] && break; sleep 0.1; done

# --- objects: explicit ClusterIPs, EndpointSlices written by hand ------------
kc apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: dev}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Namespace
metadata: {name: quiet}
---
apiVersion: v1
kind: Service
metadata: {name: ent, namespace: dev}
spec:
  clusterIP: 10.43.100.1
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: plain, namespace: dev}
spec:
  clusterIP: 10.43.100.3
  ports: [{port: 9000, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: ent, namespace: prod}
spec:
  clusterIP: 10.43.100.2
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: dev}
spec:
  clusterIP: None
  ports: [{name: pg, port: 5432, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-1
  namespace: dev
  labels: {kubernetes.io/service-name: db}
addressType: IPv4
ports: [{name: pg, port: 15432, protocol: TCP}]
endpoints:
- addresses: [10.42.0.7]
  hostname: db-0
  conditions: {ready: true}
- addresses: [10.42.0.8]
  conditions: {ready: true}
- addresses: [10.42.0.9]
  conditions: {ready: false}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: dev}
spec:
  clusterIP: None
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: eager, namespace: dev}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: eager-1
  namespace: dev
  labels: {kubernetes.io/service-name: eager}
addressType: IPv4
endpoints:
- addresses: [10.42.1.1]
  conditions: {ready: false}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: dev}
spec:
  type: ExternalName
  externalName: www.example.test
---
apiVersion: v1
kind: Service
metadata: {name: alias, namespace: dev}
spec:
  type: ExternalName
  externalName: ent.prod.svc.cluster.local
YAML
{
  echo 'apiVersion: v1
kind: Service
metadata: {name: many, namespace: dev}
spec:
  clusterIP: None
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: many-1
  namespace: dev
  labels: {kubernetes.io/service-name: many}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:'
  for i in $(seq 1 100); do echo "- {addresses: [10.42.2.$i], conditions: {ready: true}}"; done
} | kc apply -f - >/dev/null
for _ in $(seq 1 50); do [ "$(short many.dev.svc.cluster.local +tcp | wc -l)" = 100 ] && break; sleep 0.1; done

# --- schema version and the zone apex ----------------------------------------
expect_eq "dns-version TXT" "$(short dns-version.cluster.local TXT)" '"1.1.0"'
expect_match "apex SOA" "$(section answer cluster.local SOA)" \
  '^cluster\.local\.\s+30\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. [0-9]+ 7200 1800 86400 30$'
expect_eq "apex NS" "$(short cluster.local NS)" "ns.dns.cluster.local."

# --- ClusterIP Services --------------------------------------------------------
expect_eq "A ent.dev" "$(short ent.dev.svc.cluster.local)" "10.43.100.1"
expect_eq "A ent.prod" "$(short ent.prod.svc.cluster.local)" "10.43.100.2"
expect_eq "A kubernetes.default" "$(short kubernetes.default.svc.cluster.local)" \
  "$(kc get svc kubernetes -n default -o jsonpath='{.spec.clusterIP}')"
expect_match "authoritative answer" "$(q ent.dev.svc.cluster.local | grep flags:)" 'flags: qr aa rd ra;'
expect_match "A record line" "$(section answer ent.dev.svc.cluster.local)" '^ent\.dev\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+10\.43\.100\.1$'
expect_eq "SRV named port" "$(short _http._tcp.ent.dev.svc.cluster.local SRV)" "0 100 80 ent.dev.svc.cluster.local."
expect_match "SRV additional A" "$(section additional _http._tcp.ent.dev.svc.cluster.local SRV)" \
  '^ent\.dev\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+10\.43\.100\.1$'
expect_eq "no SRV for an unnamed port" "$(status _9000._tcp.plain.dev.svc.cluster.local SRV)" "NXDOMAIN"
expect_eq "A of the unnamed-port Service" "$(short plain.dev.svc.cluster.local)" "10.43.100.3"
expect_eq "PTR ClusterIP" "$(short -x 10.43.100.1)" "ent.dev.svc.cluster.local."
expect_eq "PTR ClusterIP prod" "$(short -x 10.43.100.2)" "ent.prod.svc.cluster.local."

# --- headless Services -----------------------------------------------------------
expect_eq "headless A: ready endpoints only" "$(short db.dev.svc.cluster.local)" "10.42.0.7
10.42.0.8"
expect_eq "endpoint hostname" "$(short db-0.db.dev.svc.cluster.local)" "10.42.0.7"
expect_eq "endpoint name from its IP" "$(short 10-42-0-8.db.dev.svc.cluster.local)" "10.42.0.8"
expect_eq "not-ready endpoint has no name" "$(status 10-42-0-9.db.dev.svc.cluster.local)" "NXDOMAIN"
expect_eq "headless SRV to hostnames, endpoint port" "$(short _pg._tcp.db.dev.svc.cluster.local SRV)" \
  "0 50 15432 10-42-0-8.db.dev.svc.cluster.local.
0 50 15432 db-0.db.dev.svc.cluster.local."
expect_match "headless SRV additional" "$(section additional _pg._tcp.db.dev.svc.cluster.local SRV)" \
  'db-0\.db\.dev\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+10\.42\.0\.7'
expect_eq "PTR endpoint" "$(short -x 10.42.0.7)" "db-0.db.dev.svc.cluster.local."
expect_eq "headless without ready endpoints" "$(status empty.dev.svc.cluster.local)" "NXDOMAIN"
expect_eq "publishNotReadyAddresses" "$(short eager.dev.svc.cluster.local)" "10.42.1.1"

# --- ExternalName, pods --------------------------------------------------------------
expect_eq "ExternalName CNAME" "$(short ext.dev.svc.cluster.local CNAME)" "www.example.test."
expect_eq "ExternalName into the cluster zone: CNAME and target" "$(q +short alias.dev.svc.cluster.local)" "ent.prod.svc.cluster.local.
10.43.100.2"
expect_eq "pod A" "$(short 10-42-0-5.dev.pod.cluster.local)" "10.42.0.5"
expect_eq "pod in a missing namespace" "$(status 10-42-0-5.nowhere.pod.cluster.local)" "NXDOMAIN"
expect_eq "pod name that is no IP" "$(status web.dev.pod.cluster.local)" "NXDOMAIN"

# --- negative answers ----------------------------------------------------------------
expect_eq "NXDOMAIN missing service" "$(status missing.dev.svc.cluster.local)" "NXDOMAIN"
expect_match "NXDOMAIN carries the SOA" "$(section authority missing.dev.svc.cluster.local)" \
  '^cluster\.local\.\s+30\s+IN\s+SOA\s+ns\.dns\.cluster\.local\.'
expect_eq "NXDOMAIN missing namespace" "$(status ent.nowhere.svc.cluster.local)" "NXDOMAIN"
expect_eq "NODATA: AAAA of an IPv4 Service" "$(status ent.dev.svc.cluster.local AAAA)" "NOERROR"
expect_eq "NODATA has no answer" "$(section answer ent.dev.svc.cluster.local AAAA)" ""
expect_match "NODATA carries the SOA" "$(section authority ent.dev.svc.cluster.local AAAA)" 'IN\s+SOA\s+ns\.dns\.cluster\.local\.'
expect_eq "NODATA: a namespace name" "$(status quiet.svc.cluster.local)" "NOERROR"

# --- case, trailing dot ------------------------------------------------------------------
expect_match "case-insensitive, asker's case echoed" "$(section answer EnT.DeV.SvC.Cluster.Local)" \
  '^EnT\.DeV\.SvC\.Cluster\.Local\.\s+30\s+IN\s+A\s+10\.43\.100\.1$'
expect_eq "with trailing dot" "$(short ent.dev.svc.cluster.local.)" "10.43.100.1"

# --- EDNS0, truncation, TCP ------------------------------------------------------------
expect_match "EDNS: OPT advertises 1232" "$(q ent.dev.svc.cluster.local)" 'EDNS: version: 0, flags:; udp: 1232'
expect_no_match "no EDNS, no OPT" "$(q +noedns ent.dev.svc.cluster.local)" 'OPT PSEUDOSECTION'
expect_eq "EDNS version 1: BADVERS" "$(status +edns=1 +noednsneg ent.dev.svc.cluster.local)" "BADVERS"
OUT=$(q +ignore +noedns many.dev.svc.cluster.local)
expect_match "512 bytes without EDNS: TC" "$OUT" 'flags: qr aa tc rd'
expect_match "truncated answer fits 512" "$OUT" 'MSG SIZE  rcvd: ([1-4][0-9][0-9]|50[0-9]|51[0-2])$'
OUT=$(q +ignore +bufsize=1000 many.dev.svc.cluster.local)
expect_match "bufsize 1000 honoured: TC" "$OUT" 'flags: qr aa tc rd'
expect_match "truncated to at most 1000 bytes" "$OUT" 'MSG SIZE  rcvd: ([1-9][0-9][0-9])$'
expect_eq "TCP: all 100 endpoints" "$(short +tcp many.dev.svc.cluster.local | wc -l)" "100"
expect_eq "UDP TC then TCP retry (dig default)" "$(short many.dev.svc.cluster.local | wc -l)" "100"
expect_eq "SRV over TCP: 100 targets" "$(short +tcp _http._tcp.many.dev.svc.cluster.local SRV | wc -l)" "100"
OUT=$(dig @127.0.0.1 -p "$DNSPORT" +tcp +keepopen +short ent.dev.svc.cluster.local ent.prod.svc.cluster.local db-0.db.dev.svc.cluster.local 2>&1)
expect_eq "TCP: several queries on one connection" "$OUT" "10.43.100.1
10.43.100.2
10.42.0.7"

# --- rcodes for odd questions and packets ------------------------------------------
expect_eq "opcode STATUS: NOTIMP" "$(status +opcode=2 ent.dev.svc.cluster.local)" "NOTIMP"
expect_eq "class CH: REFUSED" "$(status -c CH -t TXT version.bind)" "REFUSED"
# rcode NAME TYPE [tcp]: the rcode of a raw query (dig will not show a refused AXFR's).
rcode() {
  python3 - "$DNSPORT" "$@" <<'PY'
import socket, struct, sys
port, name, qtype = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
q = struct.pack("!HHHHHH", 77, 0, 1, 0, 0, 0)
q += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0" + struct.pack("!HH", qtype, 1)
if len(sys.argv) > 4:
    t = socket.create_connection(("127.0.0.1", port)); t.sendall(struct.pack("!H", len(q)) + q)
    r = t.recv(65535)[2:]
else:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(2); u.sendto(q, ("127.0.0.1", port))
    r = u.recv(65535)
print(r[3] & 15)
PY
}
expect_eq "zone transfer over TCP: REFUSED" "$(rcode cluster.local 252 tcp)" "5"
expect_eq "IXFR over UDP: REFUSED" "$(rcode cluster.local 251)" "5"
expect_eq "meta type MAILA: NOTIMP" "$(rcode cluster.local 254)" "4"
expect_eq "no question: FORMERR" "$(status +header-only)" "FORMERR"
if command -v python3 >/dev/null; then
  python3 - "$DNSPORT" <<'PY'
import socket, struct, sys, random
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rnd = random.Random(3)
for i in range(3000):
    n = rnd.randrange(0, 80)
    pkt = bytes(rnd.randrange(256) for _ in range(n))
    if n > 6 and i % 2: pkt = pkt[:2] + bytes([pkt[2] & 0x7f]) + pkt[3:4] + b"\x00\x01" + pkt[6:]
    s.sendto(pkt, ("127.0.0.1", port))
for i in range(50):
    t = socket.create_connection(("127.0.0.1", port))
    n = rnd.randrange(0, 60)
    t.sendall(struct.pack("!H", rnd.randrange(0, 65536)) + bytes(rnd.randrange(256) for _ in range(n)))
    t.close()
PY
fi
expect_eq "still answering after garbage" "$(short ent.dev.svc.cluster.local)" "10.43.100.1"
kill -0 "$SERVER_PID" && echo "ok: server alive" || fail "server died"

# --- zone changes are visible within moments ------------------------------------------
kc create service clusterip later -n dev --tcp=80:80 --clusterip=10.43.100.9 >/dev/null
GOT=
for _ in $(seq 1 40); do GOT=$(short later.dev.svc.cluster.local || true); [[ "$GOT" =~ ^[0-9.]+$ ]] && break; sleep 0.05; done
expect_eq "new Service answers" "$GOT" "10.43.100.9"
kc delete service later -n dev >/dev/null
GOT=
for _ in $(seq 1 40); do GOT=$(status later.dev.svc.cluster.local || true); [ "$GOT" = NXDOMAIN ] && break; sleep 0.05; done
expect_eq "deleted Service is gone" "$GOT" "NXDOMAIN"

# --- search path: the namespace partition ------------------------------------------------
expect_eq "dig +search from dev" \
  "$(q +short +search +ndots=5 +domain=dev.svc.cluster.local ent)" "10.43.100.1"
expect_eq "dig +search from prod" \
  "$(q +short +search +ndots=5 +domain=prod.svc.cluster.local ent)" "10.43.100.2"

if [ -z "$ISOLATED" ]; then
  echo "SKIPPED (needs root and unshare): forwarding, recursion clients, getent search path, kube-dns address"
  finish
  exit 0
fi

# --- forwarding: upstream, cache, TTL cap, client ranges -------------------------------
expect_eq "forwarded A" "$(short www.example.test)" "192.0.2.80"
expect_eq "forwarded NXDOMAIN" "$(status nx.example.test)" "NXDOMAIN"
BEFORE=$(short count.example.test TXT)
short www.example.test >/dev/null; short nx.example.test >/dev/null
expect_eq "cached: upstream not asked again" "$(short count.example.test TXT)" "$BEFORE"
TTL=$(section answer www.example.test | awk '{print $2}')
if [ -n "$TTL" ] && [ "$TTL" -le 30 ]; then echo "ok: cached TTL capped at 30 ($TTL)"; else fail "cached TTL [$TTL] above 30"; fi
expect_eq "truncated upstream answer asked again over TCP for a TCP client" "$(short +tcp big.example.test | wc -l)" "100"
expect_match "forwarded big answer over UDP: TC" "$(q +ignore +noedns big.example.test)" 'flags: qr tc rd ra'
OUT=$(q ext.dev.svc.cluster.local)
expect_match "ExternalName chased: CNAME" "$OUT" 'ext\.dev\.svc\.cluster\.local\.\s+30\s+IN\s+CNAME\s+www\.example\.test\.'
expect_match "ExternalName chased: target A" "$OUT" 'www\.example\.test\.\s+[0-9]+\s+IN\s+A\s+192\.0\.2\.80'
expect_eq "unknown reverse name forwarded" "$(status -x 192.0.2.1)" "NXDOMAIN"

ip addr add 192.0.2.77/32 dev lo
expect_eq "outside client: recursion REFUSED" "$(status -b 192.0.2.77 www.example.test)" "REFUSED"
expect_eq "outside client: cluster names answered" "$(q +short -b 192.0.2.77 ent.dev.svc.cluster.local)" "10.43.100.1"
ip addr add 10.42.5.5/32 dev lo
expect_eq "pod-range client: recursion allowed" "$(q +short -b 10.42.5.5 www.example.test)" "192.0.2.80"

# --- getent through glibc with a pod's resolv.conf ------------------------------------------
printf 'nameserver 127.0.0.1\nsearch dev.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n' > "$WORK/pod-resolv.conf"
mount --bind "$WORK/pod-resolv.conf" /etc/resolv.conf
expect_eq "getent ent from dev" "$(getent ahostsv4 ent | awk 'NR==1{print $1}')" "10.43.100.1"
expect_eq "getent ent.prod from dev" "$(getent ahostsv4 ent.prod | awk 'NR==1{print $1}')" "10.43.100.2"
expect_eq "getent full name" "$(getent ahostsv4 db-0.db.dev.svc.cluster.local | awk 'NR==1{print $1}')" "10.42.0.7"
expect_eq "dig +search with the pod's resolv.conf" "$(dig +short +search ent 2>&1)" "10.43.100.1"
umount /etc/resolv.conf

# --- the kube-dns ClusterIP, once the address exists on the node ----------------------------
ip addr add 10.43.0.10/32 dev lo
GOT=
for _ in $(seq 1 80); do
  GOT=$(dig @10.43.0.10 +time=1 +tries=1 +short ent.dev.svc.cluster.local 2>/dev/null || true)
  [[ "$GOT" =~ ^[0-9.]+$ ]] && break; sleep 0.1
done
expect_eq "serves on the kube-dns ClusterIP when it appears" "$GOT" "10.43.100.1"
expect_eq "kube-dns ClusterIP over TCP" "$(dig @10.43.0.10 +tcp +short ent.prod.svc.cluster.local)" "10.43.100.2"

finish
