#!/usr/bin/env bash
# Workloads against the real minik server and the real kubectl: Deployments
# run ReplicaSets and pods (bound to the server's own Node), scale, roll out,
# are garbage collected (background, foreground, orphan), namespaces delete
# their content, a restart converges without duplicates, and kube-system shows
# CoreDNS as on k3s (and brings it back when deleted: the embedded DNS server
# stops with its pod and serves again under the new one).
#
# There is no container runtime yet: a fake kubelet (a loop below) marks bound
# Pending pods Running and Ready through the status subresource, as the
# runtime will.
. "$(dirname "$0")/lib.sh"
FIX=$MINIK_SOURCE_DIR/tests/fixtures
NODE=it-node
HASH='[bcdfghjklmnpqrstvwxz2456789]+'
SUFFIX='[bcdfghjklmnpqrstvwxz2456789]{5}'
KUBELET_PID=
# The embedded DNS server also serves here, so the tests can ask it.
DNSPORT=$(( 20000 + RANDOM % 40000 ))
HAVE_DIG=0; command -v dig >/dev/null && HAVE_DIG=1

# wait_until NAME SECONDS CONDITION: CONDITION (shell text) must hold in time.
wait_until() {
  local name=$1 secs=$2 cond=$3 i
  for i in $(seq 1 $((secs * 5))); do
    if eval "$cond" >/dev/null 2>&1; then echo "ok: $name"; return 0; fi
    sleep 0.2
  done
  fail "$name: not within ${secs}s ($cond)"
  return 0
}

# Pods of a namespace that are not being deleted, one "name phase node" a line.
live_pods() {
  kc get pods -n "$1" -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase} {.spec.nodeName} {.metadata.deletionTimestamp}{"\n"}{end}' |
    awk 'NF == 3'
}
pod_count() { live_pods "$1" | grep -c "^${2:-enterprise}-" || true; }
deploy_row() { kc get deploy "$2" -n "$1" --no-headers 2>/dev/null | awk '{print $2, $3, $4}'; }

fake_kubelet() {
  local n=10
  while true; do
    kc get pods -A -o jsonpath='{range .items[?(@.status.phase=="Pending")]}{.metadata.namespace} {.metadata.name} {.spec.nodeName}{"\n"}{end}' 2>/dev/null |
      while read -r ns name node; do
        [ -n "$node" ] && [ "$ns" != kube-system ] || continue
        n=$(( n % 250 + 1 ))
        kc patch pod "$name" -n "$ns" --subresource=status --type=merge -p \
          "{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.42.0.$n\",\"podIPs\":[{\"ip\":\"10.42.0.$n\"}],\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}" \
          >/dev/null 2>&1 || true
      done
    sleep 0.3
  done
}
start_kubelet() { fake_kubelet & KUBELET_PID=$!; }
stop_kubelet() { kill "$KUBELET_PID" 2>/dev/null || true; wait "$KUBELET_PID" 2>/dev/null || true; KUBELET_PID=; }
trap 'stop_kubelet; cleanup' EXIT

# --container-runtime none: this test plays the kubelet (it writes pod
# status itself); a user whose server runs no pods of its own passes the
# same (as k3s' --disable-agent). --node-name: a user names the board so
# (k3s' flag of that name). --dns-listen: a loopback port to dig, as a user
# checking the cluster DNS from the board's own shell passes it.
start_server --container-runtime none --node-name "$NODE" --dns-listen "127.0.0.1:$DNSPORT"

# --- the server's own Node ------------------------------------------------------
wait_until "node registered and Ready" 10 '[ "$(kc get node $NODE -o jsonpath="{.status.conditions[?(@.type==\"Ready\")].status}")" = True ]'
run "get nodes" kc get nodes
expect_match "node row" "$OUT" "^$NODE +Ready +control-plane,master +[0-9]+s +v1.31.0\+minik$"
run "node fields" kc get node "$NODE" -o jsonpath='{.spec.podCIDR} {.spec.podCIDRs[0]} {.status.conditions[?(@.type=="Ready")].reason} {.metadata.labels.kubernetes\.io/hostname} {.status.nodeInfo.operatingSystem} {.status.capacity.pods}'
expect_eq "node podCIDR, reason, labels" "$OUT" "10.42.0.0/24 10.42.0.0/24 KubeletReady $NODE linux 110"
run "node addresses" kc get node "$NODE" -o jsonpath='{.status.addresses[*].type}'
expect_eq "node address types" "$OUT" "InternalIP Hostname"
NODE_IP=$(kc get node "$NODE" -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')

# --- kube-system as on k3s --------------------------------------------------------
# dns_answers: the embedded DNS server answers for the kubernetes Service.
dns_answers() {
  [ "$(dig @127.0.0.1 -p "$DNSPORT" +time=1 +tries=1 +short kubernetes.default.svc.cluster.local A 2>/dev/null)" = 10.43.0.1 ]
}
check_kube_dns() {
  local what=$1
  if [ "$HAVE_DIG" = 1 ]; then
    wait_until "$what: cluster DNS answers" 15 dns_answers
  else
    echo "SKIP: $what: dig missing (Debian package dnsutils)"
  fi
  wait_until "$what: coredns pod 1/1 Running" 15 'kc get pods -n kube-system -l k8s-app=kube-dns --no-headers | grep -Eq "^coredns-$HASH-$SUFFIX +1/1 +Running +0 +"'
  run "$what: kube-dns pods" kc get pods -n kube-system -l k8s-app=kube-dns
  expect_match "$what: one coredns pod" "$(printf '%s\n' "$OUT" | grep -c '^coredns-')" "^1$"
  run "$what: kube-dns pod ip" kc get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].status.podIP} {.items[0].status.hostIP} {.items[0].spec.nodeName}'
  expect_eq "$what: pod stands for the node's DNS server" "$OUT" "$NODE_IP $NODE_IP $NODE"
  wait_until "$what: coredns deploy 1/1" 10 '[ "$(deploy_row kube-system coredns)" = "1/1 1 1" ]'
  run "$what: kube-dns deploy" kc get deploy -n kube-system -l k8s-app=kube-dns
  expect_match "$what: deploy row" "$OUT" "^coredns +1/1 +1 +1 +[0-9]+[sm]$"
  run "$what: kube-dns svc" kc get svc -n kube-system -l k8s-app=kube-dns
  expect_match "$what: svc row" "$OUT" "^kube-dns +ClusterIP +10\.43\.0\.10 +<none> +53/UDP,53/TCP,9153/TCP +[0-9]+[sm]$"
  local i found=
  for i in $(seq 1 25); do
    OUT=$(kc get endpointslice -n kube-system -l k8s-app=kube-dns 2>&1 || true)
    if printf '%s\n' "$OUT" | grep -Eq "^kube-dns-[a-z0-9]{5} +IPv4 +.* $NODE_IP +"; then found=1; break; fi
    sleep 0.2
  done
  if [ -n "$found" ]; then
    echo "ok: $what: kube-dns endpointslice"
  elif ! printf '%s\n' "$OUT" | grep -q '^kube-dns-'; then
    echo "SKIP: $what: no kube-dns EndpointSlice (the EndpointSlice controller has not landed): $OUT"
  else
    fail "$what: kube-dns endpointslice: $OUT"
  fi
}
check_kube_dns "bootstrap"
run "coredns ReplicaSet owner" kc get rs -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name} {.items[0].metadata.ownerReferences[0].controller} {.items[0].metadata.ownerReferences[0].blockOwnerDeletion}'
expect_eq "coredns rs owned by the deployment" "$OUT" "Deployment/coredns true true"

# --- the seed manifest: 2 pods per namespace, bound, Pending ------------------------
run "apply seed" kc apply -f "$FIX/seed-app.yaml"
for ns in dev prod; do
  wait_until "$ns has 2 pods" 10 '[ "$(pod_count '$ns')" = 2 ]'
  run "$ns pods" live_pods "$ns"
  expect_match "$ns pod names" "$(printf '%s\n' "$OUT" | grep '^enterprise-' | awk '{print $1}')" "^enterprise-$HASH-$SUFFIX$"
  expect_eq "$ns pods bound and Pending" "$(printf '%s\n' "$OUT" | grep '^enterprise-' | awk '{print $2, $3}' | sort -u)" "Pending $NODE"
  RS=$(kc get rs -n "$ns" -o jsonpath='{.items[0].metadata.name}')
  expect_match "$ns rs name" "$RS" "^enterprise-$HASH$"
  run "$ns rs labels" kc get rs "$RS" -n "$ns" -o jsonpath='{.metadata.labels.pod-template-hash} {.spec.selector.matchLabels.pod-template-hash} {.spec.template.metadata.labels.pod-template-hash} {.metadata.annotations.deployment\.kubernetes\.io/revision} {.metadata.annotations.deployment\.kubernetes\.io/desired-replicas} {.metadata.annotations.deployment\.kubernetes\.io/max-replicas}'
  H=${RS#enterprise-}
  expect_eq "$ns rs hash label, selector, annotations" "$OUT" "$H $H $H 1 2 3"
  POD=$(live_pods "$ns" | grep '^enterprise-' | head -1 | awk '{print $1}')
  run "$ns pod owner" kc get pod "$POD" -n "$ns" -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.generateName} {.status.conditions[?(@.type=="PodScheduled")].status}'
  expect_eq "$ns pod owned by its rs" "$OUT" "ReplicaSet/$RS $RS- True"
done
run "dev deployment before readiness" kc get deploy -n dev
expect_match "0/2 before readiness" "$OUT" "^enterprise +0/2 +2 +0 +"

start_kubelet
for ns in dev prod; do
  wait_until "$ns deploy 2/2" 20 '[ "$(deploy_row '$ns' enterprise)" = "2/2 2 2" ]'
done
run "get deploy -n dev" kc get deploy -n dev
expect_match "dev deploy row" "$OUT" "^enterprise +2/2 +2 +2 +[0-9]+s$"
run "deploy conditions" kc get deploy enterprise -n dev -o jsonpath='{.status.conditions[?(@.type=="Available")].reason} {.status.conditions[?(@.type=="Progressing")].reason} {.status.observedGeneration}'
expect_eq "Available and Progressing reasons" "$OUT" "MinimumReplicasAvailable NewReplicaSetAvailable 1"
run "progressing message" kc get deploy enterprise -n dev -o jsonpath='{.status.conditions[?(@.type=="Progressing")].message}'
expect_match "progressing message" "$OUT" "^ReplicaSet \"enterprise-$HASH\" has successfully progressed\.$"
run "rs status" kc get rs -n dev -o jsonpath='{.items[0].status.replicas} {.items[0].status.fullyLabeledReplicas} {.items[0].status.readyReplicas} {.items[0].status.availableReplicas} {.items[0].status.observedGeneration}'
expect_eq "rs status counts" "$OUT" "2 2 2 2 1"
run "rollout status when done" timeout 30 "$KUBECTL" --kubeconfig "$KCFG" rollout status deploy/enterprise -n dev
expect_eq "rollout status says done" "$OUT" 'deployment "enterprise" successfully rolled out'

# --- scale 2 -> 5 -> 1 -------------------------------------------------------------
run "scale to 5" kc scale deploy enterprise -n dev --replicas=5
wait_until "5 pods" 15 '[ "$(pod_count dev)" = 5 ]'
wait_until "deploy 5/5" 20 '[ "$(deploy_row dev enterprise)" = "5/5 5 5" ]'
run "scale to 1" kc scale deploy enterprise -n dev --replicas=1
wait_until "1 pod" 15 '[ "$(pod_count dev)" = 1 ]'
wait_until "deploy 1/1" 20 '[ "$(deploy_row dev enterprise)" = "1/1 1 1" ]'
expect_eq "still one ReplicaSet" "$(kc get rs -n dev --no-headers | wc -l)" "1"

# --- a rolling update ----------------------------------------------------------------
run "scale to 2" kc scale deploy enterprise -n dev --replicas=2
wait_until "deploy 2/2 again" 20 '[ "$(deploy_row dev enterprise)" = "2/2 2 2" ]'
OLD_RS=$(kc get rs -n dev -o jsonpath='{.items[0].metadata.name}')
run "set image" kc set image deploy/enterprise -n dev enterprise-ctr=nigelpoulton/k8sbook:v2
run "rollout status" timeout 60 "$KUBECTL" --kubeconfig "$KCFG" rollout status deploy/enterprise -n dev
expect_match "rollout finished" "$OUT" 'deployment "enterprise" successfully rolled out$'
run "rs after rollout" kc get rs -n dev --no-headers
expect_match "old rs scaled to 0" "$OUT" "^$OLD_RS +0 +0 +0 +"
expect_match "new rs has 2" "$OUT" "^enterprise-$HASH +2 +2 +2 +"
expect_eq "deployment revision" "$(kc get deploy enterprise -n dev -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')" "2"
expect_eq "new pods run the new image" "$(kc get pods -n dev -l app=enterprise -o jsonpath='{.items[*].spec.containers[0].image}' | tr ' ' '\n' | sort -u)" "nigelpoulton/k8sbook:v2"
run "rollout history" kc rollout history deploy/enterprise -n dev
expect_match "two revisions" "$OUT" "^2 +<none>$"
wait_until "dev has 2 pods after rollout" 15 '[ "$(pod_count dev)" = 2 ]'

# --- garbage collection ---------------------------------------------------------------
run "delete deploy (foreground)" timeout 30 "$KUBECTL" --kubeconfig "$KCFG" delete deploy enterprise -n prod --cascade=foreground
wait_until "foreground: rs gone" 10 '[ -z "$(kc get rs -n prod -o name)" ]'
wait_until "foreground: pods gone" 10 '[ "$(pod_count prod)" = 0 ]'
run "re-apply seed" kc apply -f "$FIX/seed-app.yaml"
wait_until "prod deploy 2/2 again" 20 '[ "$(deploy_row prod enterprise)" = "2/2 2 2" ]'
run "delete deploy (orphan)" timeout 30 "$KUBECTL" --kubeconfig "$KCFG" delete deploy enterprise -n prod --cascade=orphan
wait_until "orphan: deployment gone" 10 '! kc get deploy enterprise -n prod'
expect_eq "orphan: rs kept without owner" "$(kc get rs -n prod -o jsonpath='{range .items[*]}{.metadata.name}:{.metadata.ownerReferences}{end}' | sed 's/:.*//' | grep -Ec "^enterprise-$HASH$")" "1"
expect_eq "orphan: no ownerReferences left" "$(kc get rs -n prod -o jsonpath='{.items[*].metadata.ownerReferences}')" ""
expect_eq "orphan: pods kept" "$(pod_count prod)" "2"
run "delete orphaned rs (background)" kc delete rs -n prod --all
wait_until "background: pods of the rs gone" 10 '[ "$(pod_count prod)" = 0 ]'
run "re-apply seed again" kc apply -f "$FIX/seed-app.yaml"
wait_until "prod deploy 2/2 once more" 20 '[ "$(deploy_row prod enterprise)" = "2/2 2 2" ]'

# --- namespace deletion -----------------------------------------------------------------
run "delete ns dev" timeout 60 "$KUBECTL" --kubeconfig "$KCFG" delete ns dev
expect_eq "delete ns output" "$OUT" 'namespace "dev" deleted'
must_fail "dev is gone" kc get ns dev
expect_eq "dev not found" "$OUT" 'Error from server (NotFound): namespaces "dev" not found'
run "nothing left in dev" kc get all -n dev
expect_eq "no resources in dev" "$OUT" "No resources found in dev namespace."
expect_eq "no pods of dev anywhere" "$(kc get pods -A --no-headers | awk '$1 == "dev"' | wc -l)" "0"

# --- restart: converged, no duplicates ----------------------------------------------------
BEFORE=$(live_pods prod | awk '{print $1}' | sort)
BEFORE_DNS=$(kc get pods -n kube-system -l k8s-app=kube-dns -o name)
stop_kubelet
stop_server
# The same flags as the first start, for the same reasons.
start_server --container-runtime none --node-name "$NODE" --dns-listen "127.0.0.1:$DNSPORT"
sleep 2
expect_eq "same prod pods after restart" "$(live_pods prod | awk '{print $1}' | sort)" "$BEFORE"
expect_eq "same coredns pod after restart" "$(kc get pods -n kube-system -l k8s-app=kube-dns -o name)" "$BEFORE_DNS"
expect_eq "prod deploy still 2/2" "$(deploy_row prod enterprise)" "2/2 2 2"
expect_eq "one rs in prod" "$(kc get rs -n prod --no-headers | wc -l)" "1"
start_kubelet

# --- kube-dns: delete and come back -----------------------------------------------------------
OLD_DNS_POD=$(kc get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.name}')
run "delete coredns pod" kc delete pod -n kube-system -l k8s-app=kube-dns
wait_until "a new coredns pod" 15 '[ -n "$(kc get pods -n kube-system -l k8s-app=kube-dns -o name | grep -v "/$OLD_DNS_POD$")" ]'
check_kube_dns "after pod delete"
NEW_DNS_POD=$(kc get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.name}')
expect_match "the coredns pod has a new name" "$NEW_DNS_POD" "^coredns-$HASH-$SUFFIX$"
expect_no_match "not the deleted one" "$NEW_DNS_POD" "^$OLD_DNS_POD$"
run "new coredns pod Ready" kc get pod "$NEW_DNS_POD" -n kube-system -o jsonpath='{.status.phase} {.status.conditions[?(@.type=="Ready")].status} {.status.containerStatuses[0].ready}'
expect_eq "new coredns pod Running and Ready" "$OUT" "Running True true"
expect_match "server log: DNS stopped with the deleted pod" "$(cat "$WORK/server.log")" "pod kube-system/$OLD_DNS_POD is gone; cluster DNS stops with it"
expect_match "server log: DNS restarted for the new pod" "$(cat "$WORK/server.log")" "cluster DNS restarted for pod kube-system/$NEW_DNS_POD"
run "delete kube-dns svc" kc delete svc kube-dns -n kube-system
wait_until "kube-dns svc back" 10 'kc get svc kube-dns -n kube-system'
check_kube_dns "after service delete"
run "delete coredns deploy" kc delete deploy coredns -n kube-system
wait_until "coredns deploy back" 10 'kc get deploy coredns -n kube-system'
check_kube_dns "after deployment delete"
expect_eq "one coredns rs" "$(kc get rs -n kube-system -l k8s-app=kube-dns --no-headers | wc -l)" "1"

stop_kubelet
finish
