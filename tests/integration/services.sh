#!/usr/bin/env bash
# Services through the real server and real kubectl: ClusterIPs (automatic,
# requested, refused as Kubernetes refuses them), NodePorts, the
# `kubernetes` Service, EndpointSlices and Endpoints following pod status
# written as a kubelet writes it, and every allocation kept across a restart.
. "$(dirname "$0")/lib.sh"
# --container-runtime none: this test plays the kubelet (it writes pod
# status itself); a user whose server runs no pods of its own passes the
# same (as k3s' --disable-agent).
start_server --container-runtime none

# eventually NAME EXPECTED COMMAND...: the command's output becomes EXPECTED
# within a few seconds (controllers act on the loop, after the write returns).
eventually() {
  local name=$1 expected=$2 actual=; shift 2
  for _ in $(seq 1 100); do
    actual=$("$@" 2>&1 || true)
    [ "$actual" = "$expected" ] && break
    sleep 0.1
  done
  expect_eq "$name" "$actual" "$expected"
}

# pod_status NS POD IP READY: what a kubelet writes for a running pod.
pod_status() {
  kc patch pod "$2" -n "$1" --subresource=status --type=merge -p \
    "{\"status\":{\"podIP\":\"$3\",\"podIPs\":[{\"ip\":\"$3\"}],\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"$4\"}]}}" >/dev/null
}

slice_endpoints() {  # NS SERVICE: "ip ready" per endpoint, sorted
  kc get endpointslice -n "$1" -l "kubernetes.io/service-name=$2" \
    -o jsonpath='{range .items[*]}{range .endpoints[*]}{.addresses[0]} {.conditions.ready}{"\n"}{end}{end}' | sort
}

svc_ip() { kc get svc "$2" -n "$1" -o jsonpath='{.spec.clusterIP}'; }

in_service_cidr() { [[ "$1" =~ ^10\.43\.[0-9]+\.[0-9]+$ ]]; }

# --- the kubernetes Service ---------------------------------------------------
eventually "kubernetes Service ClusterIP" "10.43.0.1" svc_ip default kubernetes
expect_eq "kubernetes Service ports" "$(kc get svc kubernetes -o jsonpath='{.spec.ports[0].name} {.spec.ports[0].port} {.spec.ports[0].protocol}')" "https 443 TCP"
expect_eq "kubernetes Service labels" "$(kc get svc kubernetes -o jsonpath='{.metadata.labels.component} {.metadata.labels.provider}')" "apiserver kubernetes"
# The API listens on loopback only (until TLS): no pod could reach it, so
# the endpoints list no address rather than one where it does not listen.
expect_eq "kubernetes Endpoints: none while the API is on loopback" "$(kc get endpoints kubernetes -o jsonpath='{.subsets}')" ""
expect_match "the log says why" "$(cat "$WORK/server.log")" "kubernetes Service has no endpoints: the API listens on 127\.0\.0\.1:$PORT only"
expect_eq "kubernetes EndpointSlice: no endpoints" "$(kc get endpointslice kubernetes -o jsonpath='{.endpoints}')" "[]"
expect_eq "kubernetes EndpointSlice" "$(kc get endpointslice kubernetes -o jsonpath='{.addressType} {.ports[0].port} {.metadata.labels.kubernetes\.io/service-name}')" "IPv4 $PORT kubernetes"

# --- two namespaces, a Service `ent` in each, pods made directly --------------
cat > "$WORK/app.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: dev}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Service
metadata: {name: ent, namespace: dev, labels: {tier: web}}
spec:
  selector: {app: enterprise}
  ports: [{port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: ent, namespace: prod}
spec:
  selector: {app: enterprise}
  ports: [{port: 8080}]
YAML
for p in dev/ent-1 dev/ent-2 prod/ent-1; do
  cat >> "$WORK/app.yaml" <<YAML
---
apiVersion: v1
kind: Pod
metadata: {name: ${p#*/}, namespace: ${p%/*}, labels: {app: enterprise}}
spec:
  containers: [{name: web, image: nigelpoulton/k8sbook:1.0, ports: [{containerPort: 8080}]}]
YAML
done
run "apply app" kc apply -f "$WORK/app.yaml"

IP_DEV=$(svc_ip dev ent)
IP_PROD=$(svc_ip prod ent)
if in_service_cidr "$IP_DEV"; then echo "ok: dev ent ClusterIP $IP_DEV"; else fail "dev ent ClusterIP [$IP_DEV]"; fi
if in_service_cidr "$IP_PROD"; then echo "ok: prod ent ClusterIP $IP_PROD"; else fail "prod ent ClusterIP [$IP_PROD]"; fi
if [ "$IP_DEV" != "$IP_PROD" ]; then echo "ok: ClusterIPs differ"; else fail "both ent Services got $IP_DEV"; fi
expect_eq "clusterIPs and families" "$(kc get svc ent -n dev -o jsonpath='{.spec.clusterIPs[0]} {.spec.ipFamilies[0]} {.spec.ipFamilyPolicy}')" "$IP_DEV IPv4 SingleStack"
expect_match "service table" "$(kc get svc ent -n dev)" "^ent +ClusterIP +$IP_DEV +<none> +8080/TCP +"

# --- requested ClusterIPs --------------------------------------------------------
requested_svc() {  # NAME IP
  printf 'apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: dev}\nspec:\n  clusterIP: %s\n  selector: {app: fixed}\n  ports: [{port: 80}]\n' "$1" "$2"
}
run "requested ClusterIP" kc create -f <(requested_svc fixed 10.43.0.50)
expect_eq "requested ClusterIP honoured" "$(svc_ip dev fixed)" "10.43.0.50"
must_fail "duplicate ClusterIP" kc create -f <(requested_svc dup 10.43.0.50)
expect_eq "duplicate ClusterIP message" "$OUT" 'The Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.50"}: failed to allocate IP 10.43.0.50: provided IP is already allocated'
must_fail "ClusterIP out of range" kc create -f <(requested_svc far 10.99.0.1)
expect_eq "out of range message" "$OUT" 'The Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"10.99.0.1"}: failed to allocate IP 10.99.0.1: the provided IP (10.99.0.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16'
must_fail "dup was not stored" kc get svc dup -n dev
run "headless Service" kc create -f <(requested_svc headless None)
expect_eq "headless has no ClusterIP" "$(svc_ip dev headless)" "None"

# --- EndpointSlices and Endpoints follow the pods ----------------------------
eventually "placeholder slice before pods have IPs" "ent-" \
  kc get endpointslice -n dev -l kubernetes.io/service-name=ent -o 'jsonpath={.items[*].metadata.generateName}'
pod_status dev ent-1 10.42.0.5 True
pod_status dev ent-2 10.42.0.6 True
pod_status prod ent-1 10.42.1.5 True
eventually "dev slice endpoints" "10.42.0.5 true
10.42.0.6 true" slice_endpoints dev ent
eventually "prod slice endpoints" "10.42.1.5 true" slice_endpoints prod ent
SLICE=$(kc get endpointslice -n dev -l kubernetes.io/service-name=ent -o jsonpath='{.items[*].metadata.name}')
expect_match "one slice named after the Service" "$SLICE" '^ent-[a-z0-9]{5}$'
expect_eq "slice port" "$(kc get endpointslice "$SLICE" -n dev -o jsonpath='{.addressType} {.ports[0].port} {.ports[0].protocol}')" "IPv4 8080 TCP"
expect_eq "slice labels" "$(kc get endpointslice "$SLICE" -n dev -o jsonpath='{.metadata.labels.endpointslice\.kubernetes\.io/managed-by} {.metadata.labels.tier}')" "endpointslice-controller.k8s.io web"
expect_eq "slice owner" "$(kc get endpointslice "$SLICE" -n dev -o jsonpath='{.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].name} {.metadata.ownerReferences[0].controller} {.metadata.ownerReferences[0].blockOwnerDeletion}')" "Service ent true true"
expect_eq "slice targetRef" "$(kc get endpointslice "$SLICE" -n dev -o jsonpath='{.endpoints[?(@.addresses[0]=="10.42.0.5")].targetRef.name}')" "ent-1"
expect_match "slice table" "$(kc get endpointslice -n dev -l kubernetes.io/service-name=ent)" "^$SLICE +IPv4 +8080 +10\.42\.0\.5,10\.42\.0\.6 +"
endpoints_row() { kc get endpoints "$2" -n "$1" --no-headers | awk '{print $1, $2}'; }
eventually "endpoints table" "ent 10.42.0.5:8080,10.42.0.6:8080" endpoints_row dev ent
expect_eq "endpoints skip-mirror label" "$(kc get endpoints ent -n dev -o jsonpath='{.metadata.labels.endpointslice\.kubernetes\.io/skip-mirror}')" "true"

pod_status dev ent-2 10.42.0.6 False
eventually "unready pod flips its condition" "10.42.0.5 true
10.42.0.6 false" slice_endpoints dev ent
eventually "unready pod in notReadyAddresses" "10.42.0.6" kc get endpoints ent -n dev -o 'jsonpath={.subsets[0].notReadyAddresses[*].ip}'
expect_eq "slice kept its name" "$(kc get endpointslice -n dev -l kubernetes.io/service-name=ent -o jsonpath='{.items[*].metadata.name}')" "$SLICE"

run "delete a pod" kc delete pod ent-1 -n dev
eventually "deleted pod leaves the slice" "10.42.0.6 false" slice_endpoints dev ent
eventually "deleted pod leaves the Endpoints" "10.42.0.6" kc get endpoints ent -n dev -o 'jsonpath={.subsets[*].addresses[*].ip}{.subsets[*].notReadyAddresses[*].ip}'

run "delete prod Service" kc delete svc ent -n prod
eventually "its slices go" "" kc get endpointslice -n prod -l kubernetes.io/service-name=ent -o 'jsonpath={.items[*].metadata.name}'
eventually "its Endpoints go" "" kc get endpoints -n prod -o 'jsonpath={.items[*].metadata.name}'

# --- NodePort --------------------------------------------------------------------
run "NodePort Service" kc create service nodeport np -n dev --tcp=80:8080
NODE_PORT=$(kc get svc np -n dev -o jsonpath='{.spec.ports[0].nodePort}')
if [ "${NODE_PORT:-0}" -ge 30000 ] && [ "$NODE_PORT" -le 32767 ]; then echo "ok: nodePort $NODE_PORT"; else fail "nodePort [$NODE_PORT]"; fi
must_fail "taken nodePort" kc create -f <(printf 'apiVersion: v1\nkind: Service\nmetadata: {name: np2, namespace: dev}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: %s}]\n' "$NODE_PORT")
expect_eq "taken nodePort message" "$OUT" "The Service \"np2\" is invalid: spec.ports[0].nodePort: Invalid value: $NODE_PORT: provided port is already allocated"

# --- a restart keeps every allocation --------------------------------------------
BEFORE=$(kc get svc -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {.spec.clusterIP}{"\n"}{end}' | sort)
stop_server
# The same flag as the first start, for the same reason.
start_server --container-runtime none
eventually "kubernetes EndpointSlice follows the new API port" "$PORT" kc get endpointslice kubernetes -o 'jsonpath={.ports[0].port}'
AFTER=$(kc get svc -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {.spec.clusterIP}{"\n"}{end}' | sort)
expect_eq "ClusterIPs survive the restart" "$AFTER" "$BEFORE"
expect_eq "nodePort survives the restart" "$(kc get svc np -n dev -o jsonpath='{.spec.ports[0].nodePort}')" "$NODE_PORT"
must_fail "requested IP still taken after restart" kc create -f <(requested_svc dup 10.43.0.50)
for i in 1 2 3 4 5; do kc create service clusterip "after-$i" -n dev --tcp=80:80 >/dev/null; done
NEW_IPS=$(kc get svc -n dev -o jsonpath='{range .items[*]}{.spec.clusterIP}{"\n"}{end}' | grep -v None | sort)
expect_eq "no duplicate ClusterIPs" "$(printf '%s\n' "$NEW_IPS" | uniq -d)" ""
for i in 1 2 3 4 5; do
  ip=$(svc_ip dev "after-$i")
  if grep -qx "dev/after-$i $ip" <<<"$BEFORE" || grep -q " $ip$" <<<"$BEFORE"; then fail "after-$i got a taken IP $ip"; fi
done
echo "ok: new Services got fresh IPs"
eventually "slices unchanged by the restart" "$SLICE" kc get endpointslice -n dev -l kubernetes.io/service-name=ent -o 'jsonpath={.items[*].metadata.name}'
expect_eq "endpoints still there after restart" "$(slice_endpoints dev ent)" "10.42.0.6 false"
pod_status dev ent-2 10.42.0.6 True
eventually "controllers run after a restart" "10.42.0.6 true" slice_endpoints dev ent

finish
