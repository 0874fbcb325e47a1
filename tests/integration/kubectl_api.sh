#!/usr/bin/env bash
# The real kubectl against the real minik server, using only the kubeconfig
# the server wrote: apply/re-apply/edit, get in its forms, watch, describe,
# label, scale, delete, api-resources, and the usual error lines.
. "$(dirname "$0")/lib.sh"
FIX=$MINIK_SOURCE_DIR/tests/fixtures
# --container-runtime none: this test's pods are API objects only (their
# images exist nowhere), so they stay Pending, as on a server that runs no
# pods of its own (k3s' --disable-agent), which a user may run too.
start_server --container-runtime none

# --- the system namespaces exist from the first start ------------------------
run "get ns" kc get ns -o name
for ns in default kube-system kube-public kube-node-lease; do
  expect_match "namespace $ns exists" "$OUT" "^namespace/$ns$"
done
run "plain KUBECONFIG works" env KUBECONFIG="$KCFG" "$KUBECTL" get ns default
expect_match "namespace table" "$OUT" "^default +Active +[0-9]+s$"

# --- apply, re-apply, edit ---------------------------------------------------
run "apply seed" kc apply -f "$FIX/seed-app.yaml"
expect_eq "apply output" "$OUT" "namespace/dev created
namespace/prod created
deployment.apps/enterprise created
deployment.apps/enterprise created
service/ent created
service/ent created
pod/jump created"
run "re-apply seed" kc apply -f "$FIX/seed-app.yaml"
expect_eq "re-apply output" "$OUT" "namespace/dev unchanged
namespace/prod unchanged
deployment.apps/enterprise unchanged
deployment.apps/enterprise unchanged
service/ent unchanged
service/ent unchanged
pod/jump unchanged"
RV_PROD_DEPLOY=$(kc get deploy enterprise -n prod -o jsonpath='{.metadata.resourceVersion}')
run "apply edited" kc apply -f "$FIX/seed-app-edited.yaml"
expect_eq "edited output" "$OUT" "namespace/dev unchanged
namespace/prod unchanged
deployment.apps/enterprise configured
deployment.apps/enterprise unchanged
service/ent unchanged
service/ent configured
pod/jump unchanged"
expect_eq "dev replicas changed" "$(kc get deploy enterprise -n dev -o jsonpath='{.spec.replicas}')" "3"
expect_eq "dev image kept" "$(kc get deploy enterprise -n dev -o jsonpath='{.spec.template.spec.containers[0].image}')" "nigelpoulton/k8sbook:text-dev"
expect_eq "prod deployment untouched" "$(kc get deploy enterprise -n prod -o jsonpath='{.metadata.resourceVersion}')" "$RV_PROD_DEPLOY"
expect_eq "prod service label" "$(kc get svc ent -n prod -o jsonpath='{.metadata.labels.tier}')" "web"
expect_eq "service defaults" "$(kc get svc ent -n dev -o jsonpath='{.spec.type} {.spec.ports[0].protocol} {.spec.ports[0].targetPort}')" "ClusterIP TCP 8080"
expect_eq "generation bumped once" "$(kc get deploy enterprise -n dev -o jsonpath='{.metadata.generation}')" "2"

# --- get in its forms ----------------------------------------------------------
run "get all -n dev" kc get all --namespace dev
expect_match "get all lists the pod" "$OUT" "^pod/jump +0/1 +Pending +0 +[0-9]+s"
expect_match "get all lists the service" "$OUT" "^service/ent +ClusterIP +"
expect_match "get all lists the deployment" "$OUT" "^deployment.apps/enterprise +[0-9]+/3 +[0-9]+ +[0-9]+ +[0-9]+s"
run "kube-dns service query" kc get svc -n kube-system -l k8s-app=kube-dns
run "endpointslices -A" kc get endpointslice -A
run "pods -o wide" kc get pods -n dev -o wide
expect_match "wide columns" "$OUT" "^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$"
run "pods -A" kc get pods -A
expect_match "namespace column" "$OUT" "^NAMESPACE +NAME +READY"
expect_match "-A row" "$OUT" "^dev +jump +0/1 +Pending"
run "pod -o yaml" kc get pod jump -n dev -o yaml
expect_match "yaml kind" "$OUT" "^kind: Pod$"
expect_match "yaml defaults" "$OUT" "dnsPolicy: ClusterFirst"
expect_match "yaml uid" "$OUT" "uid: [0-9a-f-]{36}"
run "jsonpath" kc get pods -n dev --field-selector metadata.name=jump -o 'jsonpath={.items[*].metadata.name}'
expect_eq "jsonpath names" "$OUT" "jump"
run "empty result" kc get pods -n prod -l app=nothing
expect_eq "no resources line" "$OUT" "No resources found in prod namespace."
must_fail "unknown resource" kc get foo
expect_eq "unknown resource message" "$OUT" 'error: the server doesn'"'"'t have a resource type "foo"'
must_fail "missing object" kc get ns nope
expect_eq "not found message" "$OUT" 'Error from server (NotFound): namespaces "nope" not found'

# --- watch streams changes -----------------------------------------------------
kc get pods -n dev -w > "$WORK/watch.out" 2>&1 &
WATCH=$!
wait_for 60 grep -q '^jump' "$WORK/watch.out" || true
kc run watched -n dev --image=busybox >/dev/null
wait_for 60 grep -q '^watched' "$WORK/watch.out" || true
kill $WATCH 2>/dev/null || true; wait $WATCH 2>/dev/null || true
expect_match "watch shows the existing pod" "$(cat "$WORK/watch.out")" "^jump +0/1 +Pending"
expect_match "watch shows the new pod" "$(cat "$WORK/watch.out")" "^watched +0/1 +Pending"

# --- describe, label, scale, delete --------------------------------------------
run "describe svc" kc describe svc ent -n dev
expect_match "describe name" "$OUT" "^Name: +ent$"
expect_match "describe selector" "$OUT" "^Selector: +app=enterprise$"
expect_match "describe port" "$OUT" "^Port: +<unset> +8080/TCP$"
run "label" kc label pod jump -n dev tier=tools
expect_eq "label output" "$OUT" "pod/jump labeled"
expect_eq "label set" "$(kc get pod jump -n dev -o jsonpath='{.metadata.labels.tier}')" "tools"
run "scale" kc scale deploy enterprise -n dev --replicas=5
expect_eq "scale output" "$OUT" "deployment.apps/enterprise scaled"
expect_eq "scaled" "$(kc get deploy enterprise -n dev -o jsonpath='{.spec.replicas}')" "5"
run "delete by label" kc delete pod -n dev -l tier=tools
expect_eq "delete by label output" "$OUT" 'pod "jump" deleted'
must_fail "deleted pod is gone" kc get pod jump -n dev
grep -v '^#' "$FIX/seed-app.yaml" | awk 'BEGIN{RS="---\n"; ORS="---\n"} /kind: Service\n/' > "$WORK/services.yaml"
run "delete -f" kc delete -f "$WORK/services.yaml"
expect_eq "delete -f output" "$OUT" 'service "ent" deleted
service "ent" deleted'
must_fail "service gone" kc get svc ent -n dev
run "delete namespaces -f" kc delete -f "$FIX/seed-app.yaml" --ignore-not-found
expect_match "namespace deleted" "$OUT" '^namespace "dev" deleted$'
must_fail "namespace gone after the wait" kc get ns dev

# --- api-resources ------------------------------------------------------------
run "api-resources" kc api-resources
expect_match "deployments row" "$OUT" "^deployments +deploy +apps/v1 +true +Deployment$"
expect_match "pods row" "$OUT" "^pods +po +v1 +true +Pod$"
expect_match "endpointslices row" "$OUT" "^endpointslices +discovery.k8s.io/v1 +true +EndpointSlice$"

# --- bad requests: kubectl's usual lines, nothing half-written ----------------
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n' > "$WORK/malformed.yaml"
must_fail "malformed yaml" kc apply -f "$WORK/malformed.yaml"
expect_match "malformed message" "$OUT" "^error: error parsing .*malformed.yaml"
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Bad_Name\n' > "$WORK/badname.yaml"
must_fail "invalid name" kc apply -f "$WORK/badname.yaml"
expect_match "invalid name message" "$OUT" 'The Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of'
cat > "$WORK/badselector.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: good-one, namespace: default}
data: {a: b}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: mismatched, namespace: default}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: busybox}]}
YAML
must_fail "wrong selector" kc apply -f "$WORK/badselector.yaml"
expect_match "wrong selector message" "$OUT" 'The Deployment "mismatched" is invalid: spec.template.metadata.labels: Invalid value: map\[string\]string\{"app":"other"\}: `selector` does not match template `labels`'
expect_match "the valid object was applied" "$OUT" "configmap/good-one created"
must_fail "invalid object not written" kc get deploy mismatched -n default
RV=$(kc get cm good-one -o jsonpath='{.metadata.resourceVersion}')
kc label cm good-one x=y >/dev/null
kc get cm good-one -o json | sed "s/\"resourceVersion\": \"[0-9]*\"/\"resourceVersion\": \"$RV\"/" > "$WORK/stale.json"
must_fail "stale resourceVersion" kc replace -f "$WORK/stale.json"
expect_match "conflict message" "$OUT" 'Error from server \(Conflict\): error when replacing ".*stale.json": Operation cannot be fulfilled on configmaps "good-one": the object has been modified; please apply your changes to the latest version and try again'
must_fail "create into a missing namespace" kc create configmap c -n nope
expect_eq "missing namespace message" "$OUT" 'error: failed to create configmap: namespaces "nope" not found'
must_fail "duplicate create" kc create namespace default
expect_eq "already exists message" "$OUT" 'Error from server (AlreadyExists): namespaces "default" already exists'

# --- every kubectl version on the machine (1.27 reads OpenAPI v2 protobuf) ----
for versioned in /usr/lib/google-cloud-sdk/bin/kubectl.1.*; do
  [ -x "$versioned" ] || continue
  v=${versioned##*/kubectl.}
  ns=compat-${v//./-}
  sed -e "s/name: dev$/name: $ns/; s/name: prod$/name: $ns-p/" \
      -e "s/namespace: dev$/namespace: $ns/; s/namespace: prod$/namespace: $ns-p/" "$FIX/seed-app.yaml" > "$WORK/compat.yaml"
  run "kubectl $v apply" "$versioned" --kubeconfig "$KCFG" apply -f "$WORK/compat.yaml"
  expect_match "kubectl $v apply creates" "$OUT" "^service/ent (created|unchanged)$"
  run "kubectl $v re-apply" "$versioned" --kubeconfig "$KCFG" apply -f "$WORK/compat.yaml"
  expect_no_match "kubectl $v re-apply changes nothing" "$OUT" "created|configured"
  run "kubectl $v get all" "$versioned" --kubeconfig "$KCFG" get all -n "$ns"
  expect_match "kubectl $v get all" "$OUT" "^service/ent +ClusterIP"
done

# --- fieldValidation: Strict refuses unknown fields, Ignore drops, Warn warns --
cat > "$WORK/typo.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: typo, namespace: default}
spec:
  replica: 2
  selector: {matchLabels: {app: typo}}
  template:
    metadata: {labels: {app: typo}}
    spec: {containers: [{name: c, image: busybox}]}
YAML
must_fail "apply with an unknown field" kc apply -f "$WORK/typo.yaml"
expect_eq "strict decoding message" "$OUT" "Error from server (BadRequest): error when creating \"$WORK/typo.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\""
must_fail "the refused object is not written" kc get deploy typo -n default
run "apply --validate=false" kc apply --validate=false -f "$WORK/typo.yaml"
expect_eq "ignored silently" "$OUT" "deployment.apps/typo created"
expect_eq "unknown field not stored" "$(kc get deploy typo -n default -o jsonpath='{.spec.replica}/{.spec.replicas}')" "/1"
# kubectl patch sends no fieldValidation: the server's default is Warn.
run "patch with an unknown field" kc patch deploy typo -n default --type=merge -p '{"spec":{"replica":3}}'
expect_eq "patch warns and drops" "$OUT" 'Warning: unknown field "spec.replica"
deployment.apps/typo patched (no change)'
sed 's/^  replica: 2$/  replicas: 2\n  paused2: true/' "$WORK/typo.yaml" > "$WORK/typo2.yaml"
must_fail "apply patch with an unknown field" kc apply -f "$WORK/typo2.yaml"
expect_match "patch strict message" "$OUT" 'strict decoding error: unknown field "spec.paused2"'
expect_eq "refused patch not written" "$(kc get deploy typo -n default -o jsonpath='{.spec.replicas}')" "1"
kc get deploy typo -n default -o json | sed '0,/"replicas": 1,/s//"replicas": 1, "replica": 4,/' > "$WORK/typo-replace.json"
must_fail "replace with an unknown field" kc replace -f "$WORK/typo-replace.json"
expect_eq "replace strict message" "$OUT" "Error from server (BadRequest): error when replacing \"$WORK/typo-replace.json\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\""
kc delete deploy typo -n default >/dev/null
run "apply --validate=warn" kc apply --validate=warn -f "$WORK/typo.yaml"
expect_match "warning printed" "$OUT" '^Warning: unknown field "spec.replica"$'
expect_match "warned object created" "$OUT" '^deployment.apps/typo created$'
expect_eq "warned field not stored" "$(kc get deploy typo -n default -o jsonpath='{.spec.replica}')" ""
kc delete deploy typo -n default >/dev/null

finish
