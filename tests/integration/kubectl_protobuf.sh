#!/usr/bin/env bash
# kubectl 1.32 and later send the objects of `kubectl create <kind>` as
# Kubernetes protobuf (application/vnd.kubernetes.protobuf). Every such
# command must work against minik, and what minik stores must carry the
# fields kubectl put in the body. PUT takes protobuf too; undecodable bodies
# get Kubernetes' 400.
. "$(dirname "$0")/lib.sh"
K133=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
if [ ! -x "$K133" ]; then echo "skip: $K133 is missing"; exit 77; fi
start_server
k() { "$K133" --kubeconfig "$KCFG" "$@"; }
field() { k get "$1" -n proto -o jsonpath="$2"; }

# --- the body on the wire is protobuf ---------------------------------------
run "create namespace" k create namespace proto -v=8
expect_match "body sent as protobuf" "$OUT" "Content-Type: application/vnd.kubernetes.protobuf"
expect_match "namespace created" "$OUT" "^namespace/proto created$"
expect_eq "namespace stored" "$(k get ns proto -o jsonpath='{.metadata.name} {.status.phase}')" "proto Active"

# --- deployments ----------------------------------------------------------------
run "create deployment" k create deployment web -n proto --image=busybox
expect_eq "deployment output" "$OUT" "deployment.apps/web created"
expect_eq "deployment fields" \
  "$(field deploy/web '{.metadata.labels.app} {.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.metadata.labels.app} {.spec.template.spec.containers[0].name}={.spec.template.spec.containers[0].image}')" \
  "web 1 web web busybox=busybox"
run "create deployment, two images" k create deployment api -n proto --image=nginx:1.25 --image=busybox --replicas=3 --port=8080
expect_eq "two containers, one port" \
  "$(field deploy/api '{.spec.replicas} {.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].ports[0].containerPort}')" \
  "3 nginx busybox 8080"
run "create deployment, zero replicas and a command" k create deployment idle -n proto --image=busybox --replicas=0 -- sleep 3600
expect_eq "replicas 0 kept, command" \
  "$(field deploy/idle '{.spec.replicas} {.spec.template.spec.containers[0].command}')" '0 ["sleep","3600"]'

# --- services ---------------------------------------------------------------------
run "create service clusterip" k create service clusterip svc -n proto --tcp=80:8080 --tcp=443:8443
expect_eq "clusterip ports" \
  "$(field svc/svc '{.spec.type} {.spec.selector.app} {range .spec.ports[*]}{.name}:{.port}>{.targetPort}/{.protocol} {end}')" \
  "ClusterIP svc 80-8080:80>8080/TCP 443-8443:443>8443/TCP "
expect_match "cluster IP allocated" "$(field svc/svc '{.spec.clusterIP}')" '^10\.43\.[0-9]+\.[0-9]+$'
run "create service clusterip headless" k create service clusterip headless -n proto --clusterip=None
expect_eq "headless" "$(field svc/headless '{.spec.clusterIP}')" "None"
run "create service nodeport" k create service nodeport np -n proto --tcp=80:8080 --node-port=30080
expect_eq "nodeport" "$(field svc/np '{.spec.type} {.spec.ports[0].nodePort} {.spec.ports[0].targetPort}')" "NodePort 30080 8080"
run "create service externalname" k create service externalname ext -n proto --external-name=example.com
expect_eq "externalname" "$(field svc/ext '{.spec.type} {.spec.externalName}')" "ExternalName example.com"

# --- configmaps, secrets, service accounts ---------------------------------
printf 'bin\000\001\377' > "$WORK/blob.bin"
run "create configmap" k create configmap cfg -n proto --from-literal=a=1 --from-literal=empty= --from-file=blob="$WORK/blob.bin"
expect_eq "configmap data" "$(field cm/cfg '{.data.a}|{.data.empty}|{.binaryData.blob}')" "1||YmluAAH/"
run "create secret generic" k create secret generic creds -n proto --from-literal=user=admin --from-literal=pass='s3cr=t'
expect_eq "secret data" "$(field secret/creds '{.type} {.data.user} {.data.pass}')" "Opaque YWRtaW4= czNjcj10"
run "create secret with a type" k create secret generic typed -n proto --type=example.com/custom --from-literal=k=v
expect_eq "secret type" "$(field secret/typed '{.type}')" "example.com/custom"
run "create secret docker-registry" k create secret docker-registry reg -n proto --docker-server=r.example.com --docker-username=u --docker-password=p
expect_eq "dockerconfigjson" "$(field secret/reg '{.type}')" "kubernetes.io/dockerconfigjson"
expect_match "dockerconfigjson data" "$(field secret/reg '{.data.\.dockerconfigjson}')" '^eyJhdXRocyI6'
run "create serviceaccount" k create serviceaccount robot -n proto
expect_eq "serviceaccount" "$(field sa/robot '{.metadata.name} {.metadata.namespace}')" "robot proto"

# --- errors the API server words as Kubernetes does ----------------------------
must_fail "duplicate create" k create namespace proto
expect_eq "already exists" "$OUT" 'Error from server (AlreadyExists): namespaces "proto" already exists'
must_fail "invalid name" k create configmap Bad_Name -n proto
expect_match "invalid" "$OUT" 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"'

# --- PUT with a protobuf body, and undecodable bodies ------------------------
# runtime.Unknown{v1 ConfigMap} around ConfigMap{metadata{name cfg, namespace
# proto, labels{updated: by-protobuf}}, data{a: 2}, binaryData{blob: 00 ff}}.
printf '%b' '\x6b\x38\x73\x00\x0a\x0f\x0a\x02\x76\x31\x12\x09\x43\x6f\x6e\x66\x69\x67\x4d\x61\x70\x12\x3a\x0a\x24\x0a\x03\x63\x66\x67\x1a\x05\x70\x72\x6f\x74\x6f\x5a\x16\x0a\x07\x75\x70\x64\x61\x74\x65\x64\x12\x0b\x62\x79\x2d\x70\x72\x6f\x74\x6f\x62\x75\x66\x12\x06\x0a\x01\x61\x12\x01\x32\x1a\x0a\x0a\x04\x62\x6c\x6f\x62\x12\x02\x00\xff\x1a\x00\x22\x00' > "$WORK/put.bin"
API=http://127.0.0.1:$PORT/api/v1/namespaces/proto/configmaps
put() { curl -sS -X PUT -H "Content-Type: application/vnd.kubernetes.protobuf" --data-binary "@$1" "$API/cfg"; }
run "PUT protobuf" put "$WORK/put.bin"
expect_match "PUT answers the object" "$OUT" '"labels":\{"updated":"by-protobuf"\}'
expect_eq "PUT stored" "$(field cm/cfg '{.metadata.labels.updated} {.data} {.binaryData.blob}')" 'by-protobuf {"a":"2"} AP8='
head -c 40 "$WORK/put.bin" > "$WORK/cut.bin"
run "truncated body" curl -sS -w ' %{http_code}' -X POST -H "Content-Type: application/vnd.kubernetes.protobuf" --data-binary "@$WORK/cut.bin" "$API"
expect_match "truncated body is a 400" "$OUT" '"message":"the object provided is unrecognized \(must be of type ConfigMap\): unexpected EOF \(6b3873000a0f0a0276311209436f6e6669674d6170123a0a240a03636667 \.\.\.\)".* 400$'

# --- kubectl 1.32 speaks protobuf too ------------------------------------------
K132=/usr/lib/google-cloud-sdk/bin/kubectl.1.32
if [ -x "$K132" ]; then
  run "kubectl 1.32 create configmap" "$K132" --kubeconfig "$KCFG" create configmap old -n proto --from-literal=x=y
  expect_eq "kubectl 1.32 configmap" "$(field cm/old '{.data.x}')" "y"
fi

finish
