#!/usr/bin/env bash
# tests/integration/runtime_pods.sh — pods really run on this node: the
# troubleshooting chapter's manifest (namespaces dev and prod, a 2-replica
# Deployment `enterprise` serving its namespace's name over HTTP on 8080, a
# Service `ent` in each, a `jump` Pod) applied unchanged, with images built
# here from Debian's static busybox (no docker) and imported into minik's
# store; then checked from inside the jump pod: resolv.conf as Kubernetes
# writes it, `nslookup ent` through minik's DNS at 10.43.0.10, and the
# Services by name through the service proxy (nftables mode). Also: restarts
# after a kill, logs, graceful delete freeing the address and namespace,
# probes, init containers, restart policies, missing images, and re-adoption
# across a restart of the server.
#
# The whole `minik server` runs on default flags (only paths and ports
# chosen) on the board lib.sh makes: a network namespace with eth0, an
# address and a default route, as a real board has. So its node address,
# the cluster DNS on it, the bridge minik0 and the proxy's rules live there
# and nothing of the host's network is touched. From the node, `dig
# @10.43.0.10` answers too. At the restart, another resolver holds port 53
# on the node's address: the cluster DNS says so and serves the kube-dns
# endpoints on the node's pod-network address instead.
#
# Needs root, runc, busybox-static, python3 and nsenter (skips otherwise).
# Removes everything it made at the end, failed or not.
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root (network namespaces, mounts)"; exit 77; fi
if ! command -v runc >/dev/null && ! command -v crun >/dev/null; then
  echo "SKIP: no OCI runtime installed (apt-get install runc)"; exit 77
fi
if ! command -v busybox >/dev/null || ! busybox --list >/dev/null 2>&1; then
  echo "SKIP: static busybox is not installed (apt-get install busybox-static)"; exit 77
fi
if ! command -v python3 >/dev/null; then echo "SKIP: python3 is needed to build the test images"; exit 77; fi
if ! command -v nsenter >/dev/null; then echo "SKIP: nsenter (util-linux) is needed"; exit 77; fi
NODE=$MINIK_BOARD  # the board lib.sh runs this test in (and removes, with its bridge and veths)

HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$WORK/data
RUNTIME_ROOT=$DATA/runc
RUNTIME=
# The host's own network (pid 1's), which must not change.
host_net() { nsenter --net=/proc/1/ns/net "$@"; }
HOST_BRIDGE_BEFORE=$(host_net ip -br link show minik0 2>/dev/null || true)
SQUATTER_PID=

# Everything this test's server made goes, even on failure.
runtime_cleanup() {
  if [ -n "$SQUATTER_PID" ]; then kill "$SQUATTER_PID" 2>/dev/null || true; fi
  cleanup  # lib.sh's: the server, then its containers, netns mounts and rootfs mounts
}
trap runtime_cleanup EXIT

PORT=6443

# start_node_server: `minik server` on the board, as the quick start starts
# it: only its data dir, kubeconfig, port and images folder are chosen.
start_node_server() {
  "$MINIK" server --data-dir "$DATA" --https-listen-port $PORT --write-kubeconfig "$KCFG" \
    --images-dir "$WORK/images" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "minik server did not start; log:" >&2; cat "$WORK/server.log" >&2
  FAILURES=1; exit 1
}

# --- images: built here, imported by the CLI and from the images folder ------
mkdir -p "$WORK/images" "$WORK/tarballs"
python3 "$HERE/busybox_image.py" "$WORK/tarballs/text-dev.tar" nigelpoulton/k8sbook:text-dev docker \
  --cmd '["httpd","-f","-p","8080","-h","/www"]' --file /www/index.html=dev
python3 "$HERE/busybox_image.py" "$WORK/tarballs/text-prod.tar" nigelpoulton/k8sbook:text-prod docker \
  --cmd '["httpd","-f","-p","8080","-h","/www"]' --file /www/index.html=prod
# ubuntu runs a shell with no arguments, as the real image's CMD (bash):
# the chapter's jump pod (tty, stdin) stays up only if it gets a terminal.
python3 "$HERE/busybox_image.py" "$WORK/images/ubuntu.tar" ubuntu:latest oci --cmd '["sh"]'
python3 "$HERE/busybox_image.py" "$WORK/tarballs/busybox.tar" busybox:latest oci --cmd '["sh"]'


# No --container-runtime: the default picks the node's runtime and says why.
start_node_server
RUNTIME=$(sed -n 's/.*container runtime: \([a-z]*\) chosen.*/\1/p' "$WORK/server.log" | head -1)
if command -v crun >/dev/null && command -v runc >/dev/null &&
   [ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ] && [ -s /sys/fs/cgroup/unified/cgroup.controllers ]; then
  expect_match "hybrid cgroups: runc chosen, crun skipped" "$(cat "$WORK/server.log")" \
    "container runtime: runc chosen \(crun skipped: hybrid cgroups"
else
  expect_match "a runtime chosen and why" "$(cat "$WORK/server.log")" "container runtime: (crun|runc) chosen \("
fi
[ -n "$RUNTIME" ] || { fail "no runtime chosen: $(cat "$WORK/server.log")"; exit 1; }
RUNC=$(command -v "$RUNTIME")
# Imports into the running server's store, found on this node however it
# was started (here on a data dir that is not the default): no --data-dir.
run "image import (docker-archive)" "$MINIK" image import "$WORK/tarballs/text-dev.tar" "$WORK/tarballs/text-prod.tar"
expect_match "import names the images" "$OUT" "unpacked image: docker.io/nigelpoulton/k8sbook:text-prod"
expect_match "import says whose store it used" "$OUT" "using the image store of the minik server running on this node \(pid $SERVER_PID\): $DATA/images"
run "image import (OCI layout, gzip layers)" "$MINIK" image import "$WORK/tarballs/busybox.tar"
# One base layer for all four images (plain in the docker archives, gzip in
# the OCI ones), plus each web image's page.
expect_eq "layers unpacked once and shared" "$(ls "$DATA/images/layers" | wc -l)" "3"
must_fail "importing a file that is not an image" "$MINIK" image import /etc/hostname
RUNC_ROOT=$RUNTIME_ROOT
run "image ls" "$MINIK" image ls
expect_match "the images folder was imported at start" "$OUT" "docker.io/library/ubuntu +latest"
expect_match "image ls columns" "$OUT" "^IMAGE +TAG +IMAGE ID +SIZE"

# --- the chapter's manifest, unchanged ---------------------------------------
run "apply the seed manifest" kc apply -f "$MINIK_SOURCE_DIR/tests/fixtures/seed-app.yaml"
all_running() {
  local out
  out=$(kc get pods -n "$1" --no-headers 2>/dev/null) || return 1
  [ "$(printf '%s\n' "$out" | grep -c .)" -eq "$2" ] || return 1
  ! printf '%s\n' "$out" | grep -vqE "1/1 +Running"
}
wait_for 90 all_running dev 3 || fail "dev pods did not all run: $(kc get pods -n dev -o wide 2>&1)"
wait_for 60 all_running prod 2 || fail "prod pods did not all run: $(kc get pods -n prod -o wide 2>&1)"
run "get pods -o wide" kc get pods -n dev -o wide
expect_match "wide shows Running pods with their IPs" "$OUT" "^jump +1/1 +Running +0 +[0-9]+s +10\.42\.0\.[0-9]+ "
expect_eq "phase and conditions" \
  "$(kc get pod jump -n dev -o jsonpath='{.status.phase} {.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Initialized")].status} {.status.containerStatuses[0].state.running.startedAt}' | sed 's/T[0-9:]*Z$/T/')" \
  "Running True True $(date -u +%Y-%m-%d)T"

pod_ip() { kc get pod "$2" -n "$1" -o jsonpath='{.status.podIP}'; }
# --- the jump pod has a terminal and an open stdin: it stays up ------------------
jump_restarts() { kc get pod jump -n dev -o jsonpath='{.status.phase} {.status.containerStatuses[0].restartCount}'; }
sleep 30
expect_eq "jump is still Running after 30 s, never restarted" "$(jump_restarts)" "Running 0"

pod_uid() { kc get pod "$2" -n "$1" -o jsonpath='{.metadata.uid}'; }
# The runtime id of a pod's (first) container, and running commands in it.
container_of() {
  local short; short=$(pod_uid "$1" "$2" | tr -d - | cut -c1-12)
  "$RUNC" --root "$RUNC_ROOT" list -q | grep "^$short-" | awk -F- '{print $NF, $0}' | sort -n | tail -1 | cut -d' ' -f2
}
in_jump() { "$RUNC" --root "$RUNC_ROOT" exec "$(container_of dev jump)" "$@"; }
pid_of() { "$RUNC" --root "$RUNC_ROOT" state "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])'; }
JUMP_PID=$(pid_of "$(container_of dev jump)")
expect_match "jump's shell reads a terminal" "$(readlink /proc/"$JUMP_PID"/fd/0)" "^/dev/pts/[0-9]+$"
expect_match "jump's log is what its terminal printed (the shell's prompt)" "$(kc logs jump -n dev)" "# "


# --- from inside the jump pod --------------------------------------------------
run "resolv.conf in the jump pod" in_jump cat /etc/resolv.conf
expect_eq "resolv.conf as Kubernetes writes it" "$OUT" \
"search dev.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.43.0.10
options ndots:5"
run "hosts file" in_jump cat /etc/hosts
expect_match "hosts names the pod" "$OUT" "^$(pod_ip dev jump)	jump$"
run "hostname" in_jump hostname
expect_eq "hostname is the pod's name" "$OUT" "jump"
DEV_POD=$(kc get pods -n dev -l app=enterprise -o jsonpath='{.items[0].metadata.name}')
PROD_POD=$(kc get pods -n prod -l app=enterprise -o jsonpath='{.items[0].metadata.name}')
run "pod to pod (dev)" in_jump timeout 5 wget -qO- "http://$(pod_ip dev "$DEV_POD"):8080/"
expect_eq "dev's pod answers dev" "$OUT" "dev"
run "pod to pod (prod)" in_jump timeout 5 wget -qO- "http://$(pod_ip prod "$PROD_POD"):8080/"
expect_eq "prod's pod answers prod" "$OUT" "prod"
run "node to pod" curl -fsS -m 5 "http://$(pod_ip prod "$PROD_POD"):8080/"
expect_eq "the node reaches pods through minik0" "$OUT" "prod"

# --- Services and DNS, as a pod sees them -------------------------------------
DEV_IP=$(kc get svc ent -n dev -o jsonpath='{.spec.clusterIP}')
PROD_IP=$(kc get svc ent -n prod -o jsonpath='{.spec.clusterIP}')
# The proxy programs a Service once its EndpointSlice has ready endpoints.
wait_for 20 in_jump timeout 3 wget -qO- "http://$DEV_IP:8080/" || fail "dev's ClusterIP never answered from the pod"
run "Service by ClusterIP" in_jump timeout 5 wget -qO- "http://$DEV_IP:8080/"
expect_eq "dev's ClusterIP answers dev" "$OUT" "dev"
wait_for 20 in_jump timeout 3 nslookup ent.dev.svc.cluster.local || fail "no DNS answer at 10.43.0.10 from the pod"
# busybox's nslookup walks the whole search path and exits 1 when any name
# on it is NXDOMAIN (ent.svc.cluster.local is): its output is what counts.
OUT=$(in_jump timeout 5 nslookup ent 2>&1 || true)
expect_match "nslookup ent asks 10.43.0.10" "$OUT" "Server:[[:space:]]+10\.43\.0\.10"
expect_match "ent is dev's Service, at its ClusterIP" "$(grep -A1 '^Name:' <<< "$OUT" | tr '\n' ' ')" \
  "^Name:[[:space:]]+ent\.dev\.svc\.cluster\.local Address:? *(1: )?$DEV_IP "
OUT=$(in_jump timeout 5 nslookup ent.prod.svc.cluster.local 2>&1 || true)
expect_match "ent.prod.svc.cluster.local is prod's ClusterIP" "$OUT" "Address:? *(1: )?$PROD_IP"
run "http://ent:8080" in_jump timeout 5 wget -qO- http://ent:8080/
expect_eq "ent is dev's Service" "$OUT" "dev"
run "http://ent.prod.svc.cluster.local:8080" in_jump timeout 5 wget -qO- http://ent.prod.svc.cluster.local:8080/
expect_eq "ent.prod is prod's Service" "$OUT" "prod"
# --- the cluster DNS from the node, and where its endpoints point ---------------
kube_dns_endpoint() {
  kc get endpointslice -n kube-system -l kubernetes.io/service-name=kube-dns \
    -o jsonpath='{.items[0].endpoints[0].addresses[0]} {.items[0].endpoints[0].conditions.ready}'
}
expect_eq "kube-dns's endpoint: the node's address, ready" "$(kube_dns_endpoint)" "$BOARD_IP true"
run "dig @10.43.0.10 from the node" dig @10.43.0.10 +time=2 +tries=2 +short kube-dns.kube-system.svc.cluster.local
expect_eq "the node's dig gets kube-dns's ClusterIP" "$OUT" "10.43.0.10"
run "dig the node's address directly" dig @"$BOARD_IP" +time=2 +tries=2 +short ent.prod.svc.cluster.local
expect_eq "the endpoint really serves" "$OUT" "$PROD_IP"

# A pod reaching its own Service lands on itself now and then: hairpin on
# its bridge port sends its packets back out of the port they came in by.
DEV_SHORT=$(pod_uid dev "$DEV_POD" | tr -d - | cut -c1-12)
expect_match "hairpin mode on the pod's bridge port" "$(ip -d link show "mk$DEV_SHORT")" "hairpin on"
in_dev_pod() { "$RUNC" --root "$RUNC_ROOT" exec "$(container_of dev "$DEV_POD")" "$@"; }
answers=$(for _ in 1 2 3 4 5 6 7 8; do in_dev_pod timeout 3 wget -qO- "http://$DEV_IP:8080/" || echo failed; done | sort | uniq -c)
expect_no_match "a dev pod reaches its own Service every time (itself included)" "$answers" "failed"

# --- a killed container is restarted -----------------------------------------
OLD_CONTAINER=$(container_of dev "$DEV_POD")
kill -9 "$(pid_of "$OLD_CONTAINER")"
restarted() {
  [ "$(kc get pod "$DEV_POD" -n dev -o jsonpath='{.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].ready}')" = "1 true" ]
}
wait_for 30 restarted || fail "killed container was not restarted: $(kc get pod "$DEV_POD" -n dev -o jsonpath='{.status.containerStatuses}')"
expect_eq "lastState records the kill" \
  "$(kc get pod "$DEV_POD" -n dev -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason}')" "137 Error"
run "restarted container serves again" curl -fsS -m 5 "http://$(pod_ip dev "$DEV_POD"):8080/"
expect_eq "restarted answer" "$OUT" "dev"

# --- logs ------------------------------------------------------------------------
cat > "$WORK/extra.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: logger, namespace: dev}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo hello from $(POD_NAME); i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done"]
    env:
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
---
apiVersion: v1
kind: Pod
metadata: {name: probed, namespace: dev}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: setup
    image: busybox
    command: ["sh", "-c", "echo made-by-init > /work/index.html"]
    volumeMounts: [{name: shared, mountPath: /work}]
  containers:
  - name: web
    image: busybox
    command: ["httpd", "-f", "-p", "8080", "-h", "/work"]
    volumeMounts: [{name: shared, mountPath: /work}]
    readinessProbe:
      exec: {command: ["cat", "/tmp/ready"]}
      periodSeconds: 1
    livenessProbe:
      httpGet: {path: /index.html, port: 8080}
      periodSeconds: 1
  volumes:
  - name: shared
    emptyDir: {}
---
apiVersion: v1
kind: Pod
metadata: {name: reader, namespace: dev}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: busybox, command: ["cat"], stdin: true, stdinOnce: true}
---
apiVersion: v1
kind: Pod
metadata: {name: once, namespace: dev}
spec:
  restartPolicy: Never
  containers:
  - {name: main, image: busybox, command: ["sh", "-c", "exit 3"]}
---
apiVersion: v1
kind: Pod
metadata: {name: crasher, namespace: dev}
spec:
  containers:
  - {name: main, image: busybox, command: ["false"]}
---
apiVersion: v1
kind: Pod
metadata: {name: missing, namespace: dev}
spec:
  containers:
  - {name: main, image: example.com/not/imported:1.0}
YAML
run "apply the extra pods" kc apply -f "$WORK/extra.yaml"
wait_for 30 sh -c "'$KUBECTL' --kubeconfig '$KCFG' logs logger -n dev | grep -q 'tick 2'" || fail "logger logs: $(kc logs logger -n dev 2>&1)"
run "kubectl logs" kc logs logger -n dev
expect_match "first line" "$(printf '%s\n' "$OUT" | head -1)" "^hello from logger$"
run "minik logs --tail 1" "$MINIK" logs logger -n dev --tail 1 --kubeconfig "$KCFG"
expect_match "one line" "$OUT" "^tick [0-9]+$"
timeout 3 "$MINIK" logs logger -n dev -f --tail 0 --kubeconfig "$KCFG" > "$WORK/follow.out" 2>&1 || true
expect_match "logs -f streams new lines" "$(cat "$WORK/follow.out")" "^tick [0-9]+$"
must_fail "logs of an unknown container" kc logs logger -n dev -c nope
expect_match "unknown container message" "$OUT" "container nope is not valid for pod logger"

# --- stdin: true without a tty: an open stdin, so `cat` waits -------------------
wait_for 30 sh -c "[ \"\$('$KUBECTL' --kubeconfig '$KCFG' get pod reader -n dev -o jsonpath='{.status.phase}')\" = Running ]" || fail "reader not Running"
sleep 3
expect_eq "cat on an open stdin keeps running" "$(kc get pod reader -n dev -o jsonpath='{.status.phase} {.status.containerStatuses[0].restartCount}')" "Running 0"
READER_PID=$(pid_of "$(container_of dev reader)")
expect_match "its stdin is a pipe" "$(readlink /proc/"$READER_PID"/fd/0)" "^pipe:"

# --- probes, init containers, restart policies, missing images -----------------
probed_state() { kc get pod probed -n dev -o jsonpath='{.status.phase} {.status.containerStatuses[0].ready}'; }
wait_for 30 sh -c "[ \"\$('$KUBECTL' --kubeconfig '$KCFG' get pod probed -n dev -o jsonpath='{.status.phase}')\" = Running ]" || fail "probed not Running"
sleep 2
expect_eq "not ready until the readiness probe passes" "$(probed_state)" "Running false"
run "init container wrote the page" curl -fsS -m 5 "http://$(pod_ip dev probed):8080/index.html"
expect_eq "init output" "$OUT" "made-by-init"
"$RUNC" --root "$RUNC_ROOT" exec "$(container_of dev probed)" touch /tmp/ready
wait_for 15 sh -c "[ \"\$('$KUBECTL' --kubeconfig '$KCFG' get pod probed -n dev -o jsonpath='{.status.containerStatuses[0].ready}')\" = true ]" || fail "readiness probe never passed"
expect_eq "liveness probe keeps it running" "$(kc get pod probed -n dev -o jsonpath='{.status.containerStatuses[0].restartCount}')" "0"
wait_for 30 sh -c "[ \"\$('$KUBECTL' --kubeconfig '$KCFG' get pod once -n dev -o jsonpath='{.status.phase}')\" = Failed ]" || fail "once: $(kc get pod once -n dev -o yaml)"
expect_eq "restartPolicy Never: exit code kept" "$(kc get pod once -n dev -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].restartCount}')" "3 0"
wait_for 30 sh -c "'$KUBECTL' --kubeconfig '$KCFG' get pod crasher -n dev --no-headers | grep -q CrashLoopBackOff" || fail "crasher: $(kc get pod crasher -n dev 2>&1)"
run "missing image" kc get pod missing -n dev -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}: {.status.containerStatuses[0].state.waiting.message}'
expect_match "missing image says how to import it" "$OUT" "^(ErrImagePull|ImagePullBackOff): .*minik image import"

# --- a restart of the server re-adopts the running pods -------------------------
# The crash-looping pod makes new containers on its own schedule: left out.
CRASHER=$(pod_uid dev crasher | tr -d - | cut -c1-12)
steady_containers() { "$RUNC" --root "$RUNC_ROOT" list -q | grep -v "^$CRASHER-" | sort; }
BEFORE=$(steady_containers)
JUMP_PID=$(pid_of "$(container_of dev jump)")
stop_server
# Meanwhile another resolver took port 53 on the node's address (a dnsmasq,
# a Pi-hole): the cluster DNS must say so and serve elsewhere, never leave
# the kube-dns endpoints pointing at a port it does not hold.
python3 -c '
import socket, sys, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((sys.argv[1], 53))
t = socket.socket(); t.bind((sys.argv[1], 53)); t.listen(1)
open(sys.argv[2], "w").close()
time.sleep(3600)' "$BOARD_IP" "$WORK/squatter.ready" &
SQUATTER_PID=$!
wait_for 10 test -e "$WORK/squatter.ready" || fail "the stand-in resolver did not bind $BOARD_IP:53"
start_node_server
sleep 3
expect_eq "same containers after the restart" "$(steady_containers)" "$BEFORE"
expect_eq "jump's process kept running" "$(pid_of "$(container_of dev jump)")" "$JUMP_PID"
expect_eq "jump's terminal outlived the server: still Running, never restarted" "$(jump_restarts)" "Running 0"
wait_for 20 all_running prod 2 || fail "prod pods after restart: $(kc get pods -n prod 2>&1)"
run "logs after the restart" kc logs logger -n dev --tail 1
expect_match "logs still readable" "$OUT" "^tick [0-9]+$"

# The resolver on the node's address, as the server found it at this start.
expect_match "the DNS says port 53 is taken on the node's address and where it serves instead" "$(cat "$WORK/server.log")" \
  "cluster DNS: cannot listen on ${BOARD_IP//./\\.}:53 \(.*another DNS server holds that port\); the kube-dns endpoints are 10\.42\.0\.1:53 instead"
wait_for 20 sh -c "[ \"\$('$KUBECTL' --kubeconfig '$KCFG' get endpointslice -n kube-system -l kubernetes.io/service-name=kube-dns -o jsonpath='{.items[0].endpoints[0].addresses[0]} {.items[0].endpoints[0].conditions.ready}')\" = '10.42.0.1 true' ]" ||
  fail "kube-dns's endpoint did not move to the pod-network address: $(kube_dns_endpoint)"
expect_eq "the coredns pod's IP is where it serves" \
  "$(kc get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].status.podIP}')" "10.42.0.1"
wait_for 20 dig @10.43.0.10 +time=1 +tries=1 +short kube-dns.kube-system.svc.cluster.local ||
  fail "no cluster DNS from the node through the fallback"
wait_for 20 in_jump timeout 3 nslookup ent.prod.svc.cluster.local || fail "no cluster DNS from the pod through the fallback"
OUT=$(in_jump timeout 5 nslookup ent.prod.svc.cluster.local 2>&1 || true)
expect_match "the pod's lookup still answers prod's ClusterIP" "$OUT" "Address:? *(1: )?$PROD_IP"
kill "$SQUATTER_PID"; wait "$SQUATTER_PID" 2>/dev/null || true; SQUATTER_PID=

# --- the embedded DNS's stand-in pod is left to the bootstrap, deletes finish ----
OLD_DNS=$(kc get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.name}')
run "delete the coredns stand-in pod" kc delete pod -n kube-system "$OLD_DNS" --wait=true --timeout=30s
wait_for 20 sh -c "'$KUBECTL' --kubeconfig '$KCFG' get pods -n kube-system -l k8s-app=kube-dns --no-headers | grep -q '1/1 *Running'" ||
  fail "no coredns pod back: $(kc get pods -n kube-system 2>&1)"

# --- graceful delete frees the address and the namespace -------------------------
JUMP_IP=$(pod_ip dev jump)
JUMP_NS=minik-$(pod_uid dev jump | tr -d - | cut -c1-12)
[ -e "$DATA/ipam/$JUMP_IP" ] || fail "no IPAM file for $JUMP_IP"
ip netns list | grep -q "^$JUMP_NS" || fail "no netns $JUMP_NS"
run "delete the jump pod" kc delete pod jump -n dev --wait=true
expect_eq "address freed" "$([ -e "$DATA/ipam/$JUMP_IP" ] && echo kept || echo freed)" "freed"
expect_eq "namespace removed" "$(ip netns list | grep -c "^$JUMP_NS" || true)" "0"
run "delete a namespace's pods" kc delete ns dev --wait=true --timeout=60s
expect_eq "no dev pods left on the node" "$(ls "$DATA/pods" | wc -l)" "2"

# --- images in use stay; others go ---------------------------------------------------
must_fail "image rm of an image a running pod uses" "$MINIK" image rm nigelpoulton/k8sbook:text-prod
expect_match "in-use message" "$OUT" "in use by a container"
run "image rm" "$MINIK" image rm busybox
run "image ls after rm" "$MINIK" image ls
expect_no_match "busybox is gone" "$OUT" "docker.io/library/busybox"
expect_match "ubuntu (same base layer) stays" "$OUT" "docker.io/library/ubuntu"

expect_eq "the host's own bridge is as it was" "$(host_net ip -br link show minik0 2>/dev/null || true)" "$HOST_BRIDGE_BEFORE"

finish
