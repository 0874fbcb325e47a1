#!/usr/bin/env bash
# The service proxy in IPVS mode, for real, in a QEMU guest running a stock
# Debian kernel (this machine's kernel has no IPVS; shared/NOTES-kernel.md).
# The static minik goes into an initramfs with busybox, ip and ipvsadm; the
# guest loads the IPVS, nftables and link modules with insmod, makes a
# bridge and two pods (network namespaces with busybox httpd answering their
# name), starts `minik server --proxy-mode ipvs`, applies a manifest of
# Services (TCP, UDP with ClientIP affinity, SCTP) and pods and writes pod
# status as a kubelet would. Checks, from what the guest prints: `ipvsadm -Sn`
# shows exactly the expected virtual and real servers; a TCP connection to a ClusterIP gets through (from the node
# and from a pod); a pod turning unready disappears from its virtual server;
# `ipvsadm -C` heals at the next resync; cleanup-proxy removes everything.
# The kernel .deb is downloaded once into a cache folder.
# With NETAGENT_BENCH=<path of bench-netagent> the guest also runs the
# benchmark in IPVS mode and the figures are printed (not checked).
set -euo pipefail
: "${MINIK:?MINIK must point at the minik binary (ctest sets it)}"

skip() { echo "skip: $*"; exit 77; }
for tool in qemu-system-x86_64 cpio gzip ipvsadm ip; do
  command -v "$tool" >/dev/null || skip "needs $tool (scripts/install-deps.sh installs it)"
done
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] && file -L "$BUSYBOX" | grep -q 'statically linked' || skip "needs busybox-static"
file -L "$MINIK" | grep -q 'statically linked' || skip "$MINIK is not statically linked"

# --- the kernel and its modules, cached -----------------------------------------
CACHE=${MINIK_CACHE_DIR:-/var/cache/minik}/qemu-amd64
mkdir -p "$CACHE"
if ! ls "$CACHE"/root/boot/vmlinuz-* >/dev/null 2>&1; then
  package=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
    awk '{print $1}' | sort -V | tail -1)
  [ -n "$package" ] || skip "no linux-image-6.1.0-*-amd64 package known to apt (run apt-get update)"
  (cd "$CACHE" && apt-get download "$package" >/dev/null 2>&1) || skip "cannot download $package"
  rm -rf "$CACHE/root" && dpkg -x "$CACHE"/"$package"_*.deb "$CACHE/root" && rm -f "$CACHE"/*.deb
fi
KERNEL=$(ls "$CACHE"/root/boot/vmlinuz-* | head -1)
MODULES=$(ls -d "$CACHE"/root/lib/modules/* | head -1)

WORK=$(mktemp -d /tmp/minik-ipvs.XXXXXX)
FAILURES=0
trap '[ "$FAILURES" -eq 0 ] && rm -rf "$WORK" || echo "kept $WORK"' EXIT
fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
expect_eq() { if [ "$2" != "$3" ]; then fail "$1: expected [$3], got [$2]"; else echo "ok: $1"; fi; }
expect_match() { if printf '%s\n' "$2" | grep -Eq -- "$3"; then echo "ok: $1"; else fail "$1: [$2] does not match /$3/"; fi; }
expect_no_match() { if printf '%s\n' "$2" | grep -Eq -- "$3"; then fail "$1: [$2] matches /$3/"; else echo "ok: $1"; fi; }

# --- modules, in dependency order (read from each .ko's depends= string) ------
declare -A loaded=()
ORDER=()
add_module() {
  local name=$1 file dep
  [ -n "${loaded[$name]:-}" ] && return
  loaded[$name]=1
  file=$(find "$MODULES" -name "$name.ko" | head -1)
  [ -n "$file" ] || { echo "module $name not in the kernel package"; exit 1; }
  for dep in $(tr '\0' '\n' < "$file" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$dep"; done
  ORDER+=("$name")
}
add_module crc32c_generic  # libcrc32c's soft dependency
# br_netfilter: replies between pods on one bridge must pass IPVS to be
# un-NATed (kube-proxy requires it too).
for m in ip_vs ip_vs_rr dummy veth bridge br_netfilter nf_tables nft_chain_nat nft_masq nft_ct nf_conntrack_netlink; do
  add_module "$m"
done

# --- the initramfs --------------------------------------------------------------
ROOT=$WORK/initramfs
mkdir -p "$ROOT"/{bin,sbin,lib/modules,proc,sys,dev,run,tmp,etc,www/pod-a,www/pod-b,lib64,var}
ln -s /run "$ROOT/var/run"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in sh mount insmod sleep cat echo grep sed sort wget httpd nc kill poweroff mkdir seq head \
    tr uniq wc printf test; do
  ln -sf busybox "$ROOT/bin/$applet"
done
strip -o "$ROOT/bin/minik" "$MINIK"
if [ -n "${NETAGENT_BENCH:-}" ]; then strip -o "$ROOT/bin/bench-netagent" "$NETAGENT_BENCH"; fi
# ip (for network namespaces) and ipvsadm, with the libraries they load.
for tool in /usr/sbin/ip /usr/sbin/ipvsadm; do
  cp "$tool" "$ROOT/sbin/"
  for lib in $(ldd "$tool" | grep -o '/[^ ]*'); do
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$lib" "$ROOT$lib"
  done
done
for m in "${ORDER[@]}"; do cp "$(find "$MODULES" -name "$m.ko" | head -1)" "$ROOT/lib/modules/"; done
printf '%s\n' "${ORDER[@]}" > "$ROOT/lib/modules/order"
echo pod-a > "$ROOT/www/pod-a/index.html"
echo pod-b > "$ROOT/www/pod-b/index.html"

cat > "$ROOT/manifest.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  clusterIP: 10.43.0.100
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: sticky, namespace: default}
spec:
  clusterIP: 10.43.0.110
  selector: {app: web}
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
  ports: [{name: dns, port: 53, targetPort: 5353, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: signal, namespace: default}
spec:
  clusterIP: 10.43.0.120
  selector: {app: web}
  ports: [{name: sig, port: 9999, targetPort: 9999, protocol: SCTP}]
---
apiVersion: v1
kind: Pod
metadata: {name: pod-a, namespace: default, labels: {app: web}}
spec: {containers: [{name: web, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pod-b, namespace: default, labels: {app: web}}
spec: {containers: [{name: web, image: busybox}]}
YAML

cat > "$ROOT/init" <<'SH'
#!/bin/sh
# busybox sh prefers its own applets: the real ip and ipvsadm go by path.
export PATH=/bin:/sbin
IP=/sbin/ip
IPVSADM=/sbin/ipvsadm
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs run /run
mark() { echo "uptime $1 $(cut -d' ' -f1 /proc/uptime)"; }
mark booted
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko || echo "insmod $m failed"; done
mark modules
$IP link set lo up
$IP link add br0 type bridge; $IP addr add 10.42.0.1/24 dev br0; $IP link set br0 up
echo 1 > /proc/sys/net/ipv4/ip_forward
pod() {  # NAME IP
  $IP netns add $1
  $IP link add v$1 type veth peer name eth0 netns $1
  $IP link set v$1 master br0 up
  $IP -n $1 link set lo up; $IP -n $1 addr add $2/24 dev eth0; $IP -n $1 link set eth0 up
  $IP -n $1 route add default via 10.42.0.1
}
pod pod-a 10.42.0.11; $IP netns exec pod-a /bin/busybox httpd -p 8080 -h /www/pod-a
pod pod-b 10.42.0.12; $IP netns exec pod-b /bin/busybox httpd -p 8080 -h /www/pod-b
pod client 10.42.0.50
mark pods
# get [NETNS] IP PORT PATH: the body of an HTTP GET (busybox nc; its wget needs NSS).
get() { printf 'GET %s HTTP/1.0\r\n\r\n' "$3" | nc -w 3 $1 $2 2>&1 | tail -1; }
get_in() { $IP netns exec $1 /bin/busybox sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 $2 $3 2>&1 | tail -1"; }

# The guest has no NIC (-nic none), so its node address is named, as a user
# names it on a board with several; --proxy-mode ipvs says what is tested
# (a user sure of IPVS passes it too); --proxy-resync-seconds 1 lets the
# heal after `ipvsadm -C` show at once (a user wanting faster healing).
minik server --data-dir /tmp/minik --write-kubeconfig /tmp/kc.yaml --node-name guest --node-ip 10.42.0.1 \
  --proxy-mode ipvs --proxy-resync-seconds 1 > /tmp/server.log 2>&1 &
SERVER=$!
for i in $(seq 1 200); do [ "$(get 127.0.0.1 6443 /healthz)" = ok ] && break; sleep 0.1; done
mark server-up
minik apply -f /manifest.yaml --kubeconfig /tmp/kc.yaml
status() {  # POD IP READY: what a kubelet writes
  body="{\"status\":{\"podIP\":\"$2\",\"podIPs\":[{\"ip\":\"$2\"}],\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"$3\"}]}}"
  printf 'PATCH /api/v1/namespaces/default/pods/%s/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/merge-patch+json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "${#body}" "$body" | nc -w 3 127.0.0.1 6443 | head -1
}
status pod-a 10.42.0.11 True
status pod-b 10.42.0.12 True
for i in $(seq 1 100); do $IPVSADM -Sn | grep -q '10.43.0.100:80 -r 10.42.0.12' && break; sleep 0.1; done
# The cluster DNS has endpoints once it serves on 10.43.0.10, which it
# retries every 5 s until that address is on minik-ipvs0.
for i in $(seq 1 150); do $IPVSADM -Sn | grep -q -- '-u 10.43.0.10:53 -r' && break; sleep 0.1; done
mark programmed
echo "=== ipvs-ready"; $IPVSADM -Sn | sort; echo "=== end"
$IPVSADM -Ln
echo "=== addresses"; $IP -o -4 addr show dev minik-ipvs0 | sed 's/.* inet \([^ ]*\) .*/\1/' | sort; echo "=== end"
echo "=== tcp"
for i in 1 2 3 4; do echo "node $(get 10.43.0.100 80 /)"; done
for i in 1 2 3 4; do echo "pod $(get_in client 10.43.0.100 80)"; done
echo "nodeport $(get_in client 10.42.0.1 30080)"
echo "=== end"
status pod-b 10.42.0.12 False
for i in $(seq 1 100); do $IPVSADM -Sn | grep -q '10.42.0.12:8080' || break; sleep 0.1; done
echo "=== ipvs-unready"; $IPVSADM -Sn | sort; echo "=== end"
echo "=== tcp-unready"
for i in 1 2 3 4; do echo "pod $(get_in client 10.43.0.100 80)"; done
echo "=== end"
$IPVSADM -C
for i in $(seq 1 50); do sleep 0.1; $IPVSADM -Sn | grep -q 10.43.0.100 && break; done
echo "=== ipvs-healed"; $IPVSADM -Sn | sort; echo "=== end"
kill $SERVER; wait $SERVER
minik cleanup-proxy --node-ip 10.42.0.1 > /tmp/cleanup.log 2>&1; echo "cleanup exit $?"
echo "=== after-cleanup"; $IPVSADM -Sn; $IP link show minik-ipvs0 2>&1 | head -1; echo "=== end"
mark done
echo "=== server-log"; cat /tmp/server.log /tmp/cleanup.log; echo "=== end"
if [ -x /bin/bench-netagent ]; then
  echo "=== bench"
  bench-netagent --mode ipvs --services 1000 --endpoints 10 --changes 100
  bench-netagent --mode ipvs --services 10000 --endpoints 10 --changes 100
  echo "=== end"
fi
poweroff -f
SH
chmod +x "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$WORK/initrd.gz"

# --- boot -----------------------------------------------------------------------
start=$(date +%s)
timeout "${NETAGENT_QEMU_TIMEOUT:-300}" qemu-system-x86_64 -m 512 -smp 1 -nographic -no-reboot -nic none \
  -kernel "$KERNEL" -initrd "$WORK/initrd.gz" -append "console=ttyS0 quiet panic=-1" \
  < /dev/null > "$WORK/console.log" 2>&1 || true
echo "guest ran $(( $(date +%s) - start )) s"
tr -d '\r' < "$WORK/console.log" > "$WORK/console.txt"
grep '^uptime ' "$WORK/console.txt" || true

block() { sed -n "/^=== $1\$/,/^=== end\$/p" "$WORK/console.txt" | sed '1d;$d'; }

# Besides the manifest's: the kubernetes Service (no real server: the API
# listens on loopback only) and kube-dns (the embedded DNS, on the node).
expect_eq "virtual and real servers" "$(block ipvs-ready)" "$(cat <<'TXT'
-A --sctp-service 10.43.0.120:9999 -s rr
-A -t 10.42.0.1:30080 -s rr
-A -t 10.43.0.100:80 -s rr
-A -t 10.43.0.10:53 -s rr
-A -t 10.43.0.10:9153 -s rr
-A -t 10.43.0.1:443 -s rr
-A -u 10.43.0.10:53 -s rr
-A -u 10.43.0.110:53 -s rr -p 60
-a --sctp-service 10.43.0.120:9999 -r 10.42.0.11:9999 -m -w 1
-a --sctp-service 10.43.0.120:9999 -r 10.42.0.12:9999 -m -w 1
-a -t 10.42.0.1:30080 -r 10.42.0.11:8080 -m -w 1
-a -t 10.42.0.1:30080 -r 10.42.0.12:8080 -m -w 1
-a -t 10.43.0.100:80 -r 10.42.0.11:8080 -m -w 1
-a -t 10.43.0.100:80 -r 10.42.0.12:8080 -m -w 1
-a -t 10.43.0.10:53 -r 10.42.0.1:53 -m -w 1
-a -t 10.43.0.10:9153 -r 10.42.0.1:9153 -m -w 1
-a -u 10.43.0.10:53 -r 10.42.0.1:53 -m -w 1
-a -u 10.43.0.110:53 -r 10.42.0.11:5353 -m -w 1
-a -u 10.43.0.110:53 -r 10.42.0.12:5353 -m -w 1
TXT
)"
expect_eq "ClusterIPs on minik-ipvs0" "$(block addresses)" "$(printf '10.43.0.1/32\n10.43.0.10/32\n10.43.0.100/32\n10.43.0.110/32\n10.43.0.120/32')"
if [ -n "${NETAGENT_BENCH:-}" ]; then echo "--- bench in the guest (TCG-emulated CPU):"; block bench; fi
tcp=$(block tcp)
expect_match "the node reaches the ClusterIP" "$tcp" '^node pod-[ab]$'
expect_match "round robin from the node reaches pod-a" "$tcp" '^node pod-a$'
expect_match "round robin from the node reaches pod-b" "$tcp" '^node pod-b$'
expect_match "a pod reaches the ClusterIP" "$tcp" '^pod pod-[ab]$'
expect_match "a NodePort on the node address" "$tcp" '^nodeport pod-[ab]$'
expect_eq "an unready pod leaves its virtual servers" "$(block ipvs-unready)" "$(cat <<'TXT'
-A --sctp-service 10.43.0.120:9999 -s rr
-A -t 10.42.0.1:30080 -s rr
-A -t 10.43.0.100:80 -s rr
-A -t 10.43.0.10:53 -s rr
-A -t 10.43.0.10:9153 -s rr
-A -t 10.43.0.1:443 -s rr
-A -u 10.43.0.10:53 -s rr
-A -u 10.43.0.110:53 -s rr -p 60
-a --sctp-service 10.43.0.120:9999 -r 10.42.0.11:9999 -m -w 1
-a -t 10.42.0.1:30080 -r 10.42.0.11:8080 -m -w 1
-a -t 10.43.0.100:80 -r 10.42.0.11:8080 -m -w 1
-a -t 10.43.0.10:53 -r 10.42.0.1:53 -m -w 1
-a -t 10.43.0.10:9153 -r 10.42.0.1:9153 -m -w 1
-a -u 10.43.0.10:53 -r 10.42.0.1:53 -m -w 1
-a -u 10.43.0.110:53 -r 10.42.0.11:5353 -m -w 1
TXT
)"
expect_eq "connections go to the ready pod only" "$(block tcp-unready | sort -u)" "pod pod-a"
expect_eq "ipvsadm -C heals at the next resync" "$(block ipvs-healed)" "$(block ipvs-unready)"
expect_no_match "no SCTP skip logged (the Debian kernel has IPVS SCTP)" "$(block server-log)" 'SCTP Service ports are not programmed'
expect_match "cleanup-proxy succeeded" "$(cat "$WORK/console.txt")" '^cleanup exit 0$'
expect_match "cleanup-proxy removed the interface" "$(block after-cleanup)" 'does not exist'
expect_eq "cleanup-proxy removed the virtual servers" "$(block after-cleanup | grep -c '^-A' || true)" "0"
if [ "$FAILURES" -gt 0 ]; then
  echo "--- guest console:"; cat "$WORK/console.txt"
  echo "$FAILURES check(s) failed"; exit 1
fi
echo "all checks passed"
