#!/usr/bin/env bash
# The service proxy in nftables mode, for real, on this machine's kernel:
# network namespaces stand for a node and its pods (veths on a bridge, IPs
# from 10.42.0.0/24, a small TCP/UDP server in each answering its name) and
# a client pod. `minik server` runs on the board lib.sh makes (a namespace
# with eth0 and a default route), where the default proxy mode is nftables
# (this kernel has no IPVS), so nothing here touches the host's own rules or
# routes. Pods are
# registered through the API as a kubelet would (status podIP/Ready), the
# EndpointSlice controller does the rest. Checks: ClusterIP:port reaches a
# ready backend (from a pod, from the node, through a NodePort), load is
# spread, a Service with sessionAffinity ClientIP sends every connection of a
# client to one backend (and moves it when that backend turns unready), an
# SCTP Service port is programmed where conntrack tracks SCTP, a pod
# reaching itself through its Service works (hairpin), a pod
# that turns unready gets no new connections and its UDP flows move, the
# kernel state heals after being flushed behind minik's back, a deleted
# Service stops answering, and `minik server --cleanup-proxy` (and the
# cleanup-proxy verb, again) removes everything.
if [ "$(id -u)" -ne 0 ]; then echo "skip: needs root (network namespaces, nftables)"; exit 77; fi
probe=minik-probe-$$
if ! ip netns add "$probe" 2>/dev/null; then echo "skip: cannot create network namespaces"; exit 77; fi
ip netns del "$probe"
command -v python3 >/dev/null || { echo "skip: needs python3 for the pod servers"; exit 77; }

. "$(dirname "$0")/lib.sh"

NODE=$MINIK_BOARD  # the board lib.sh runs this test in (and removes)
CLIENT=mk-client-$$
PODS=(pod-a pod-b pod-c)
NAMESPACES=("$CLIENT")
SERVER_PIDS=()

netns_cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap 'netns_cleanup; cleanup' EXIT

in_node() { ip netns exec "$NODE" "$@"; }

# --- the node and its pods ----------------------------------------------------
in_node ip link add br0 type bridge
in_node ip addr add 10.42.0.1/24 dev br0
in_node ip link set br0 up
in_node sysctl -qw net.ipv4.ip_forward=1

# add_pod NETNS IP: a namespace with eth0 on the node's bridge.
add_pod() {
  local ns=$1 ip=$2 host=v$RANDOM$RANDOM
  ip netns add "$ns"
  NAMESPACES+=("$ns")
  in_node ip link add "${host:0:15}" type veth peer name eth0 netns "$ns"
  in_node ip link set "${host:0:15}" master br0 up
  # As a CNI bridge with hairpinMode: the bridge netfilter hands a DNATed
  # packet for the pod it came from back out of the same port.
  in_node ip link set "${host:0:15}" type bridge_slave hairpin on
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip addr add "$ip/24" dev eth0
  ip netns exec "$ns" ip link set eth0 up
  ip netns exec "$ns" ip route add default via 10.42.0.1
}

cat > "$WORK/pod_server.py" <<'PY'
# Answers its pod name: on TCP 8080 (then closes), and to every UDP datagram on 5353.
import socket, sys, threading
name = sys.argv[1].encode() + b"\n"
def tcp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 8080)); s.listen(64)
    while True:
        c, _ = s.accept(); c.sendall(name); c.close()
threading.Thread(target=tcp, daemon=True).start()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 5353))
while True:
    _, peer = u.recvfrom(512); u.sendto(name, peer)
PY

# tcp_name NETNS IP PORT: the name the server behind IP:PORT answers, or "failed".
tcp_name() {
  ip netns exec "$1" python3 -c '
import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1)
    print(s.recv(100).decode().strip() or "failed")
except Exception:
    print("failed")' "$2" "$3"
}

# udp_names NETNS IP PORT SOURCE_PORT COUNT: one answer per datagram, from a fixed source port.
udp_names() {
  ip netns exec "$1" python3 -c '
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
u.bind(("0.0.0.0", int(sys.argv[3]))); u.settimeout(1)
for _ in range(int(sys.argv[4])):
    u.sendto(b"?", (sys.argv[1], int(sys.argv[2])))
    try: print(u.recv(100).decode().strip())
    except Exception: print("failed")' "$2" "$3" "$4" "$5"
}

i=10
for pod in "${PODS[@]}"; do
  i=$((i + 1))
  add_pod "mk-$pod-$$" "10.42.0.$i"
  ip netns exec "mk-$pod-$$" python3 "$WORK/pod_server.py" "$pod" &
  SERVER_PIDS+=($!)
done
add_pod "$CLIENT" 10.42.0.50

# --- minik server on the board -------------------------------------------------
# --container-runtime none: this test plays the kubelet (its pods are the
# namespaces above, their status written below), as a user's server that
# runs no pods of its own. --proxy-resync-seconds 1: the kernel checked every
# second instead of every 30, so healing after `nft flush ruleset` shows up
# at once; a user who wants faster healing passes the same.
start_server --container-runtime none --proxy-resync-seconds 1
expect_match "nftables mode chosen and logged" "$(cat "$WORK/server.log")" 'proxy mode nftables \(chosen'

cat > "$WORK/app.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec:
  type: NodePort
  selector: {app: echo}
  ports:
  - {name: http, port: 80, targetPort: 8080, protocol: TCP}
  - {name: dns, port: 53, targetPort: 5353, protocol: UDP}
---
apiVersion: v1
kind: Service
metadata: {name: sticky, namespace: default}
spec:
  selector: {app: echo}
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 300}}
  ports:
  - {name: http, port: 81, targetPort: 8080, protocol: TCP}
---
apiVersion: v1
kind: Service
metadata: {name: signal, namespace: default}
spec:
  selector: {app: echo}
  ports:
  - {name: sig, port: 9999, targetPort: 9999, protocol: SCTP}
YAML
for pod in "${PODS[@]}"; do
  cat >> "$WORK/app.yaml" <<YAML
---
apiVersion: v1
kind: Pod
metadata: {name: $pod, namespace: default, labels: {app: echo}}
spec:
  containers: [{name: echo, image: busybox, ports: [{containerPort: 8080}]}]
YAML
done
run "apply Service and pods" kc apply -f "$WORK/app.yaml"

# pod_status POD IP READY: what a kubelet writes for a running pod.
pod_status() {
  kc patch pod "$1" --subresource=status --type=merge -p \
    "{\"status\":{\"podIP\":\"$2\",\"podIPs\":[{\"ip\":\"$2\"}],\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"$3\"}]}}" >/dev/null
}
pod_status pod-a 10.42.0.11 True
pod_status pod-b 10.42.0.12 True
pod_status pod-c 10.42.0.13 True

CLUSTER_IP=$(kc get svc echo -o jsonpath='{.spec.clusterIP}')
NODE_PORT=$(kc get svc echo -o jsonpath='{.spec.ports[0].nodePort}')
expect_match "ClusterIP allocated" "$CLUSTER_IP" '^10\.43\.'

# eventually NAME COMMAND...: the command succeeds within ~10 s.
eventually() {
  local name=$1; shift
  for _ in $(seq 1 100); do
    if "$@" >/dev/null 2>&1; then echo "ok: $name"; return 0; fi
    sleep 0.1
  done
  fail "$name: not true after 10 s"
}

answers_from() {  # NETNS IP PORT REGEX
  [[ "$(tcp_name "$1" "$2" "$3")" =~ $4 ]]
}

eventually "a client pod reaches the ClusterIP" answers_from "$CLIENT" "$CLUSTER_IP" 80 '^pod-[abc]$'

# --- load is spread over the ready backends ----------------------------------
seen=$(for _ in $(seq 1 45); do tcp_name "$CLIENT" "$CLUSTER_IP" 80; done | sort | uniq -c)
expect_match "pod-a answered" "$seen" ' pod-a$'
expect_match "pod-b answered" "$seen" ' pod-b$'
expect_match "pod-c answered" "$seen" ' pod-c$'
expect_no_match "no connection failed" "$seen" 'failed'

# --- ClientIP affinity: one client, one backend --------------------------------
STICKY_IP=$(kc get svc sticky -o jsonpath='{.spec.clusterIP}')
eventually "the sticky Service answers" answers_from "$CLIENT" "$STICKY_IP" 81 '^pod-[abc]$'
stuck=$(for _ in $(seq 1 20); do tcp_name "$CLIENT" "$STICKY_IP" 81; done | sort -u)
expect_match "ClientIP affinity: every connection of the client reaches one backend" "$stuck" '^pod-[abc]$'
expect_eq "ClientIP affinity: only one backend answered" "$(printf '%s\n' "$stuck" | wc -l)" 1
if command -v nft >/dev/null; then
  expect_match "the client is remembered in the affinity map" "$(in_node nft list map ip minik affinity)" \
    "10\\.42\\.0\\.50 \\. $STICKY_IP \\. tcp \\. 81 .*expires"
fi
ready_endpoints() {  # SERVICE COUNT: its EndpointSlices list COUNT ready endpoints
  [ "$(kc get endpointslice -l kubernetes.io/service-name="$1" \
        -o jsonpath='{range .items[*].endpoints[*]}{.conditions.ready}{"\n"}{end}' | grep -c true)" = "$2" ]
}
pod_ip() { kc get pod "$1" -o jsonpath='{.status.podIP}'; }
pod_status "$stuck" "$(pod_ip "$stuck")" False
eventually "the sticky Service's slice shows two ready endpoints" ready_endpoints sticky 2
sleep 0.3
moved_to=$(for _ in $(seq 1 20); do tcp_name "$CLIENT" "$STICKY_IP" 81; done | sort -u)
expect_no_match "ClientIP affinity: the client leaves a backend that turned unready" "$moved_to" "^$stuck\$"
expect_eq "ClientIP affinity: and sticks to one new backend" "$(printf '%s\n' "$moved_to" | wc -l)" 1
expect_match "ClientIP affinity: the new backend is ready" "$moved_to" '^pod-[abc]$'
pod_status "$stuck" "$(pod_ip "$stuck")" True
eventually "the sticky Service's slice shows three ready endpoints again" ready_endpoints sticky 3
sleep 0.3
expect_eq "ClientIP affinity: the client stays when the old backend returns" \
  "$(for _ in $(seq 1 10); do tcp_name "$CLIENT" "$STICKY_IP" 81; done | sort -u)" "$moved_to"
plain=$(for _ in $(seq 1 30); do tcp_name "$CLIENT" "$CLUSTER_IP" 80; done | sort -u | wc -l)
expect_eq "the plain Service still spreads the same client" "$plain" 3

# --- SCTP: programmed where conntrack tracks it ---------------------------------
SIGNAL_IP=$(kc get svc signal -o jsonpath='{.spec.clusterIP}')
if command -v nft >/dev/null; then
  if grep -q 'SCTP Service ports are not programmed' "$WORK/server.log"; then
    expect_no_match "SCTP skipped when the kernel lacks it" "$(in_node nft list map ip minik services)" 'sctp'
  else
    sctp_programmed() { in_node nft list map ip minik services | grep -q "$SIGNAL_IP . sctp . 9999 : goto pick-3"; }
    eventually "the SCTP Service port is in the services map" sctp_programmed
  fi
fi

# --- the node itself, a NodePort, a pod reaching itself -----------------------
expect_match "the node reaches the ClusterIP" "$(tcp_name "$NODE" "$CLUSTER_IP" 80)" '^pod-[abc]$'
expect_match "a NodePort on the node address" "$(tcp_name "$CLIENT" "$BOARD_IP" "$NODE_PORT")" '^pod-[abc]$'
self=$(for _ in $(seq 1 30); do tcp_name "mk-pod-a-$$" "$CLUSTER_IP" 80; done | sort | uniq -c)
expect_match "hairpin: pod-a reaches itself through its Service" "$self" ' pod-a$'
expect_no_match "hairpin: no connection failed" "$self" 'failed'

# --- UDP ----------------------------------------------------------------------
first=$(udp_names "$CLIENT" "$CLUSTER_IP" 53 40000 1)
expect_match "UDP reaches a backend" "$first" '^pod-[abc]$'
sticky=$(udp_names "$CLIENT" "$CLUSTER_IP" 53 40000 5 | sort -u)
expect_eq "UDP from one source port follows its conntrack entry" "$sticky" "$first"

# --- a pod that turns unready gets no new connections -------------------------
pod_status "$first" "$(pod_ip "$first")" False
eventually "the EndpointSlice shows two ready endpoints" ready_endpoints echo 2
sleep 0.3
after=$(for _ in $(seq 1 30); do tcp_name "$CLIENT" "$CLUSTER_IP" 80; done | sort | uniq -c)
expect_no_match "the unready pod gets no new connections" "$after" " $first\$"
expect_no_match "no connection failed after the change" "$after" 'failed'
moved=$(udp_names "$CLIENT" "$CLUSTER_IP" 53 40000 3 | sort -u)
expect_match "UDP from the same source port moved to a ready pod" "$moved" '^pod-[abc]$'
expect_no_match "UDP no longer reaches the unready pod" "$moved" "^$first\$"
pod_status "$first" "$(pod_ip "$first")" True
eventually "the EndpointSlice shows three ready endpoints again" ready_endpoints echo 3
eventually "the pod that is ready again gets connections" answers_from "$CLIENT" "$CLUSTER_IP" 80 "^$first\$"

# --- the kernel state heals after being removed behind minik's back -----------
if command -v nft >/dev/null; then
  in_node nft delete table ip minik
  eventually "the periodic resync puts the table back" in_node nft list table ip minik
  expect_match "the resync was logged" "$(cat "$WORK/server.log")" 'no longer holds what minik programmed'
  eventually "the ClusterIP answers again" answers_from "$CLIENT" "$CLUSTER_IP" 80 '^pod-[abc]$'
fi

# --- a deleted Service stops answering ----------------------------------------
run "delete the Service" kc delete svc echo
stopped() { [ "$(tcp_name "$CLIENT" "$CLUSTER_IP" 80)" = failed ]; }
eventually "the deleted Service stops answering" stopped
if command -v nft >/dev/null; then
  expect_no_match "its chain is gone" "$(in_node nft list table ip minik)" 'svc-default/echo'
fi

# --- cleanup ------------------------------------------------------------------
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
run "minik server --cleanup-proxy" in_node "$MINIK" server --cleanup-proxy --data-dir "$WORK/data"
if command -v nft >/dev/null; then
  expect_eq "no minik table after cleanup" "$(in_node nft list tables)" ""
fi
expect_eq "no minik route after cleanup" "$(in_node ip route show table local proto 77)" ""
run "minik cleanup-proxy on a clean kernel" in_node "$MINIK" cleanup-proxy
finish
