#!/usr/bin/env bash
# `minik apply/get/delete/describe` against the real minik server, checked
# against what the real kubectl prints for the same objects: apply, re-apply,
# edit; the same tables as kubectl get (AGE aside); minik apply and kubectl
# apply taking turns on one object; deletes by name, label and file; and the
# error lines (unknown verb and flag, malformed YAML, NotFound, Invalid,
# unreachable server).
. "$(dirname "$0")/lib.sh"
FIX=$MINIK_SOURCE_DIR/tests/fixtures
# --container-runtime none: this test's pods are API objects only (their
# images exist nowhere), so they stay Pending, as on a server that runs no
# pods of its own (k3s' --disable-agent), which a user may run too.
start_server --container-runtime none
mk() { "$MINIK" "$@" --kubeconfig "$KCFG"; }
# AGE cells differ by the second the two commands run in: blank them.
no_age() { sed -E 's/(^| )[0-9]+(s|m|h|d)([0-9]+(s|m|h))?( |$)/\1AGE\5/g'; }

# --- apply, re-apply, edit ---------------------------------------------------
run "apply seed" mk apply -f "$FIX/seed-app.yaml"
expect_eq "apply output" "$OUT" "namespace/dev created
namespace/prod created
deployment.apps/enterprise created
deployment.apps/enterprise created
service/ent created
service/ent created
pod/jump created"
run "re-apply seed" mk apply -f "$FIX/seed-app.yaml"
expect_eq "re-apply output" "$OUT" "namespace/dev unchanged
namespace/prod unchanged
deployment.apps/enterprise unchanged
deployment.apps/enterprise unchanged
service/ent unchanged
service/ent unchanged
pod/jump unchanged"
RV_PROD_DEPLOY=$(kc get deploy enterprise -n prod -o jsonpath='{.metadata.resourceVersion}')
run "apply edited" mk apply -f "$FIX/seed-app-edited.yaml"
expect_eq "edited output" "$OUT" "namespace/dev unchanged
namespace/prod unchanged
deployment.apps/enterprise configured
deployment.apps/enterprise unchanged
service/ent unchanged
service/ent configured
pod/jump unchanged"
expect_eq "dev replicas changed" "$(kc get deploy enterprise -n dev -o jsonpath='{.spec.replicas}')" "3"
expect_eq "prod deployment untouched" "$(kc get deploy enterprise -n prod -o jsonpath='{.metadata.resourceVersion}')" "$RV_PROD_DEPLOY"
expect_eq "prod service label" "$(kc get svc ent -n prod -o jsonpath='{.metadata.labels.tier}')" "web"

# Namespaces go first even when a file lists them last.
{ sed -n '/^kind: Deployment/,$p' "$FIX/seed-app.yaml" | sed 's/name: enterprise/name: late/; s/namespace: dev/namespace: late-ns/; s/namespace: prod/namespace: late-ns2/' | sed -n '1,/^---/p' | sed '$d'
  printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: late-ns\n'; } > "$WORK/ns-last.yaml"
run "namespace applied first" mk apply -f "$WORK/ns-last.yaml"
expect_eq "namespace-first order" "$OUT" "namespace/late-ns created
deployment.apps/late created"

# --- kubectl and minik take turns on the same objects -------------------------
run "kubectl after minik" kc apply -f "$FIX/seed-app-edited.yaml"
expect_no_match "kubectl sees minik's annotation as its own" "$OUT" "configured|created"
cat > "$WORK/conf.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
  namespace: dev
  labels: {app: conf}
  annotations: {note: "a < b & c", when: 2024-01-02}
data:
  port: "8080"
  enabled: on
  script: |
    echo one
    echo two
YAML
run "kubectl creates" kc apply -f "$WORK/conf.yaml"
run "minik after kubectl" mk apply -f "$WORK/conf.yaml"
expect_eq "minik sees kubectl's annotation as its own" "$OUT" "configmap/conf unchanged"
sed -i 's/port: "8080"/port: "9090"/; /echo two/d' "$WORK/conf.yaml"
run "minik edits" mk apply -f "$WORK/conf.yaml"
expect_eq "minik edit output" "$OUT" "configmap/conf configured"
run "kubectl after minik's edit" kc apply -f "$WORK/conf.yaml"
expect_eq "kubectl unchanged after minik's edit" "$OUT" "configmap/conf unchanged"
expect_eq "edit landed" "$(kc get cm conf -n dev -o jsonpath='{.data.port} {.data.enabled}')" "9090 true"

# A field removed from the manifest is removed from the object (the three-way part).
cat > "$WORK/web.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: dev}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  strategy: {type: Recreate}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: a, image: nginx, env: [{name: ONE, value: "1"}, {name: TWO, value: "2"}]}
      - {name: b, image: busybox}
YAML
run "web created" mk apply -f "$WORK/web.yaml"
sed -i '/name: b, image/d; s/, {name: TWO, value: "2"}//' "$WORK/web.yaml"
run "web trimmed" mk apply -f "$WORK/web.yaml"
expect_eq "trim output" "$OUT" "deployment.apps/web configured"
expect_eq "container and env removed" "$(kc get deploy web -n dev -o jsonpath='{.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].env[*].name}')" "a ONE"
run "kubectl agrees" kc apply -f "$WORK/web.yaml"
expect_eq "kubectl unchanged after trim" "$OUT" "deployment.apps/web unchanged"

# --- the same tables as kubectl ---------------------------------------------------
# Compare only once the controllers are done with what was applied.
settle kc get all,endpointslices -A -o yaml || fail "the cluster did not settle"
for args in "pods -A" "svc -n dev" "deploy -A" "ns" "all -n dev" "pods,svc -n prod" "deploy enterprise -n dev -o wide" "svc -A --show-labels"; do
  # shellcheck disable=SC2086
  theirs=$(kc get $args 2>&1 | no_age); ours=$(mk get $args 2>&1 | no_age)
  expect_eq "get $args as kubectl" "$ours" "$theirs"
done
kc create namespace empty >/dev/null
run "empty namespace" mk get deploy -n empty
expect_eq "no resources line" "$OUT" "No resources found in empty namespace."
for fmt in yaml json name 'jsonpath={.items[*].metadata.name}'; do
  expect_eq "get -o $fmt as kubectl" "$(mk get svc,deploy -n dev -o "$fmt")" "$(kc get svc,deploy -n dev -o "$fmt")"
done
expect_eq "single object yaml as kubectl" "$(mk get cm conf -n dev -o yaml)" "$(kc get cm conf -n dev -o yaml)"
expect_eq "describe svc as kubectl" "$(mk describe svc ent -n dev)" "$(kc describe svc ent -n dev)"
expect_eq "describe deploy as kubectl" "$(mk describe deploy enterprise -n prod)" "$(kc describe deploy enterprise -n prod)"

# --- watch streams changes ---------------------------------------------------
mk get pods -n dev -w > "$WORK/watch.out" 2>&1 &
WATCH=$!
wait_for 60 grep -q '^jump' "$WORK/watch.out" || true
kc run watched -n dev --image=busybox >/dev/null
wait_for 60 grep -q '^watched' "$WORK/watch.out" || true
kill $WATCH 2>/dev/null || true; wait $WATCH 2>/dev/null || true
expect_match "watch shows the existing pod" "$(cat "$WORK/watch.out")" "^jump +0/1 +Pending"
expect_match "watch shows the new pod" "$(cat "$WORK/watch.out")" "^watched +0/1 +Pending"

# --- deletes: by name, by label, by file -------------------------------------------
run "delete by name" mk delete pod watched -n dev
expect_eq "delete by name output" "$OUT" 'pod "watched" deleted'
must_fail "deleted pod is gone" kc get pod watched -n dev
kc label pod jump -n dev tier=tools >/dev/null
run "delete by label" mk delete pods -n dev -l tier=tools
expect_eq "delete by label output" "$OUT" 'pod "jump" deleted'
must_fail "labelled pod is gone" kc get pod jump -n dev
run "delete by file" mk delete -f "$WORK/conf.yaml"
expect_eq "delete by file output" "$OUT" 'configmap "conf" deleted'
must_fail "file object is gone" kc get cm conf -n dev
run "delete deployment" mk delete deploy web -n dev --wait=false
expect_eq "delete deployment output" "$OUT" 'deployment.apps "web" deleted'

# --- errors: kubectl's lines, exit code 1 ---------------------------------------
must_fail "unknown verb" mk frobnicate
expect_match "unknown verb message" "$OUT" '^error: unknown command "frobnicate" for "minik"'
must_fail "unknown flag" mk get pods --bogus
expect_match "unknown flag message" "$OUT" '^error: unknown flag: --bogus'
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n' > "$WORK/malformed.yaml"
must_fail "malformed yaml" mk apply -f "$WORK/malformed.yaml"
expect_eq "malformed message" "$OUT" "$(kc apply -f "$WORK/malformed.yaml" 2>&1 || true)"
must_fail "missing object" mk get ns nope
expect_eq "not found message" "$OUT" 'Error from server (NotFound): namespaces "nope" not found'
must_fail "unknown resource" mk get foo
expect_eq "unknown resource message" "$OUT" 'error: the server doesn'"'"'t have a resource type "foo"'

# Every verb `minik help` lists answers --help, -h and `minik help VERB`.
for verb in $("$MINIK" help | sed -n 's/^  minik \([a-z-]*\).*/\1/p' | sort -u); do
  [ "$verb" = help ] && continue
  run "minik $verb --help" "$MINIK" "$verb" --help
  expect_match "minik $verb --help prints a usage" "$OUT" "Usage:"
  run "minik help $verb" "$MINIK" help "$verb"
  expect_eq "minik help $verb is minik $verb --help" "$OUT" "$("$MINIK" "$verb" -h 2>&1)"
done
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
must_fail "invalid object" mk apply -f "$WORK/badselector.yaml"
expect_match "invalid message" "$OUT" 'The Deployment "mismatched" is invalid: spec.template.metadata.labels: Invalid value: map\[string\]string\{"app":"other"\}: `selector` does not match template `labels`'
expect_match "the valid object was applied" "$OUT" "^configmap/good-one created$"
must_fail "invalid object not written" kc get deploy mismatched -n default
# No kubeconfig at all (the machine's /etc/minik/minik.yaml may exist).
# KUBECONFIG naming no file that exists: kubectl reads nothing else, nor
# does minik (not even /etc/minik/minik.yaml, which a quick start on this
# machine may have written).
must_fail "KUBECONFIG naming a missing file" env KUBECONFIG="$WORK/absent.yaml" "$MINIK" get pods
expect_match "says KUBECONFIG named nothing that exists" "$OUT" "none of the files KUBECONFIG names exists \(KUBECONFIG=$WORK/absent.yaml\)"
must_fail "unreachable server" env KUBECONFIG="$WORK/absent.yaml" "$MINIK" get pods --server http://127.0.0.1:1
expect_eq "unreachable message" "$OUT" "error: cannot reach the minik API at http://127.0.0.1:1 (connection refused): is 'minik server' running? check --kubeconfig/KUBECONFIG"
must_fail "unreachable server, named kubeconfig" "$MINIK" get pods --kubeconfig "$KCFG" --server http://127.0.0.1:1
expect_match "unreachable message names the kubeconfig" "$OUT" "check --kubeconfig/KUBECONFIG \(using $KCFG\)$"
run "help" "$MINIK" help apply
expect_match "help usage" "$OUT" "^  minik apply -f FILENAME"
run "verb --help" "$MINIK" get --help
expect_match "get help flags" "$OUT" "--all-namespaces"

finish
