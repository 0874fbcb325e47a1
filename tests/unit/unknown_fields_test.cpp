// Tests for api/unknown_fields.h: valid manifests of every kind minik serves
// have no unknown fields (a false one would make kubectl's Strict default
// refuse a good manifest), typos are found at Kubernetes' paths, and the
// fieldValidation directives refuse, warn or drop as the API server does.
#include "api/unknown_fields.h"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "cli/manifest_reader.h"

namespace minik {
namespace {

using nlohmann::json;
using Paths = std::vector<std::string>;

const KindInfo& kindOf(const json& object) {
  const KindInfo* info = findKindByKind(object.value("apiVersion", ""), object.value("kind", ""));
  REQUIRE(info != nullptr);
  return *info;
}

std::vector<json> objectsOf(const std::string& text, const std::string& source) {
  ManifestSet set;
  parseManifestText(text, source, &set);
  REQUIRE(set.errors.empty());
  std::vector<json> objects;
  for (auto& manifest : set.objects) objects.push_back(std::move(manifest.object));
  return objects;
}

std::string fixture(const std::string& name) {
  std::string here = __FILE__;
  std::string dir = here.substr(0, here.rfind('/'));
  std::ifstream in(dir + "/../fixtures/" + name);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One manifest per kind served, using the fields real manifests use, and
// objects as the server returns them (status, managedFields, defaults).
const char kEveryKind[] = R"yaml(
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
spec: {finalizers: [kubernetes]}
status: {phase: Active}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop, annotations: {a: b}}
data: {app.properties: "x=1"}
binaryData: {blob: aGk=}
immutable: false
---
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: shop}
type: Opaque
data: {password: cGFzcw==}
stringData: {user: admin}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa, namespace: shop}
automountServiceAccountToken: false
imagePullSecrets: [{name: regcred}]
secrets: [{name: token}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, protocol: TCP, nodePort: 30080, appProtocol: http}
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
  externalTrafficPolicy: Local
  internalTrafficPolicy: Cluster
  ipFamilyPolicy: SingleStack
  ipFamilies: [IPv4]
  clusterIP: 10.43.0.10
  clusterIPs: [10.43.0.10]
status: {loadBalancer: {ingress: [{ip: 1.2.3.4, ipMode: VIP}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
  annotations: {deployment.kubernetes.io/revision: "1"}
  managedFields:
  - manager: kubectl-client-side-apply
    operation: Update
    apiVersion: apps/v1
    time: "2024-01-01T00:00:00Z"
    fieldsType: FieldsV1
    fieldsV1: {"f:spec": {"f:replicas": {}}}
spec:
  replicas: 3
  revisionHistoryLimit: 10
  progressDeadlineSeconds: 600
  minReadySeconds: 5
  paused: false
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: In, values: [front]}]
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
  template:
    metadata: {labels: {app: web, tier: front}, annotations: {x: y}}
    spec:
      serviceAccountName: sa
      automountServiceAccountToken: false
      restartPolicy: Always
      dnsPolicy: ClusterFirst
      dnsConfig: {nameservers: [1.1.1.1], searches: [a.local], options: [{name: ndots, value: "2"}]}
      hostAliases: [{ip: 127.0.0.1, hostnames: [foo.local]}]
      nodeSelector: {kubernetes.io/arch: arm64}
      tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 5}]
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector: {matchLabels: {app: web}}
              topologyKey: kubernetes.io/hostname
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: [{matchExpressions: [{key: a, operator: Exists}]}]
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}
      securityContext: {runAsUser: 1000, runAsNonRoot: true, fsGroup: 2000, seccompProfile: {type: RuntimeDefault}, sysctls: [{name: a, value: b}]}
      terminationGracePeriodSeconds: 30
      initContainers:
      - {name: init, image: busybox, command: [sh, -c, "true"]}
      containers:
      - name: web
        image: nginx:1.25
        imagePullPolicy: IfNotPresent
        args: [--port, "8080"]
        workingDir: /srv
        ports: [{name: http, containerPort: 8080, protocol: TCP, hostPort: 8080}]
        env:
        - {name: A, value: "1"}
        - name: POD_IP
          valueFrom: {fieldRef: {apiVersion: v1, fieldPath: status.podIP}}
        - name: KEY
          valueFrom: {secretKeyRef: {name: s, key: password, optional: true}}
        - name: CFG
          valueFrom: {configMapKeyRef: {name: cfg, key: k}}
        - name: MEM
          valueFrom: {resourceFieldRef: {containerName: web, resource: limits.memory, divisor: 1Mi}}
        envFrom: [{configMapRef: {name: cfg}, prefix: CFG_}, {secretRef: {name: s}}]
        resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 100m}}
        volumeMounts: [{name: data, mountPath: /data, readOnly: true, subPath: x}]
        livenessProbe:
          httpGet: {path: /healthz, port: http, scheme: HTTP, httpHeaders: [{name: X, value: y}]}
          initialDelaySeconds: 3
          periodSeconds: 10
          timeoutSeconds: 1
          failureThreshold: 3
          successThreshold: 1
        readinessProbe: {tcpSocket: {port: 8080}}
        startupProbe: {exec: {command: [cat, /tmp/ok]}}
        lifecycle: {preStop: {exec: {command: [sleep, "5"]}}, postStart: {httpGet: {port: 80}}}
        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}, privileged: false}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
        stdin: false
        tty: false
      volumes:
      - {name: data, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
      - {name: host, hostPath: {path: /var/lib/x, type: DirectoryOrCreate}}
      - {name: cfg, configMap: {name: cfg, defaultMode: 420, items: [{key: a, path: a.txt}], optional: true}}
      - {name: sec, secret: {secretName: s, defaultMode: 256}}
      - {name: claim, persistentVolumeClaim: {claimName: data, readOnly: false}}
      - {name: nfs, nfs: {server: nas, path: /export}}
      - name: proj
        projected:
          sources:
          - serviceAccountToken: {path: token, expirationSeconds: 3600, audience: api}
          - configMap: {name: cfg}
          - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
      - {name: disk, gcePersistentDisk: {pdName: d, fsType: ext4, aNewCloudField: 1}}
      - {name: iscsi, iscsi: {targetPortal: "1.2.3.4:3260", iqn: x, lun: 0}}
status:
  observedGeneration: 1
  replicas: 3
  readyReplicas: 3
  availableReplicas: 3
  updatedReplicas: 3
  conditions: [{type: Available, status: "True", lastUpdateTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z", reason: MinimumReplicasAvailable, message: ok}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d4f
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u, controller: true, blockOwnerDeletion: true}]
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
status: {replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop, generateName: p-, uid: u, resourceVersion: "5", creationTimestamp: "2024-01-01T00:00:00Z", finalizers: [a/b]}
spec:
  nodeName: edge
  hostNetwork: false
  priority: 0
  enableServiceLinks: true
  preemptionPolicy: PreemptLowerPriority
  schedulerName: default-scheduler
  ephemeralContainers: [{name: debug, image: busybox, targetContainerName: c}]
  containers: [{name: c, image: busybox}]
status:
  phase: Running
  podIP: 10.42.0.5
  podIPs: [{ip: 10.42.0.5}]
  hostIP: 192.168.1.2
  hostIPs: [{ip: 192.168.1.2}]
  qosClass: BestEffort
  startTime: "2024-01-01T00:00:00Z"
  conditions: [{type: Ready, status: "True", lastProbeTime: null, lastTransitionTime: "2024-01-01T00:00:00Z"}]
  containerStatuses:
  - name: c
    ready: true
    started: true
    restartCount: 0
    image: busybox
    imageID: sha256:x
    containerID: containerd://x
    state: {running: {startedAt: "2024-01-01T00:00:00Z"}}
    lastState: {terminated: {exitCode: 1, reason: Error, startedAt: "2024-01-01T00:00:00Z", finishedAt: "2024-01-01T00:00:00Z"}}
---
apiVersion: v1
kind: Node
metadata: {name: edge, labels: {kubernetes.io/hostname: edge}}
spec: {podCIDR: 10.42.0.0/24, podCIDRs: [10.42.0.0/24], taints: [{key: k, effect: NoSchedule}], unschedulable: false}
status:
  capacity: {cpu: "4", memory: 1Gi, pods: "110"}
  allocatable: {cpu: "4", memory: 1Gi, pods: "110"}
  conditions: [{type: Ready, status: "True", lastHeartbeatTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z", reason: KubeletReady, message: ready}]
  addresses: [{type: InternalIP, address: 192.168.1.2}, {type: Hostname, address: edge}]
  daemonEndpoints: {kubeletEndpoint: {Port: 10250}}
  nodeInfo: {machineID: m, systemUUID: s, bootID: b, kernelVersion: "6.1", osImage: Debian, containerRuntimeVersion: "crun://1", kubeletVersion: v1.33.0, kubeProxyVersion: "", operatingSystem: linux, architecture: arm64}
---
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: shop}
subsets:
- addresses: [{ip: 10.42.0.5, nodeName: edge, targetRef: {kind: Pod, name: p, namespace: shop, uid: u}}]
  notReadyAddresses: [{ip: 10.42.0.6}]
  ports: [{name: http, port: 8080, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints:
- addresses: [10.42.0.5]
  conditions: {ready: true, serving: true, terminating: false}
  nodeName: edge
  targetRef: {kind: Pod, name: p, namespace: shop, uid: u}
ports: [{name: http, port: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Event
metadata: {name: p.1, namespace: shop}
involvedObject: {kind: Pod, name: p, namespace: shop, uid: u, apiVersion: v1, fieldPath: "spec.containers{c}"}
reason: Pulled
message: pulled
type: Normal
count: 1
firstTimestamp: "2024-01-01T00:00:00Z"
lastTimestamp: "2024-01-01T00:00:00Z"
source: {component: kubelet, host: edge}
reportingComponent: kubelet
reportingInstance: edge
)yaml";

const char kTypoDeployment[] = R"json({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "lables": {"a": "b"}},
  "spec": {
    "replica": 2,
    "selector": {"matchLabels": {"app": "web"}},
    "template": {
      "metadata": {"labels": {"app": "web"}},
      "spec": {
        "containers": [
          {"name": "a", "image": "nginx"},
          {"name": "b", "imagee": "nginx", "ports": [{"containerPort": 80, "protocl": "TCP"}]}
        ],
        "volumes": [{"name": "v", "emptyDir": {"medum": "Memory"}}]
      }
    }
  }
})json";

}  // namespace

TEST_CASE("the seed manifest has no unknown fields", "[unknown_fields]") {
  for (const json& object : objectsOf(fixture("seed-app.yaml"), "seed-app.yaml")) {
    INFO(object.dump());
    CHECK(unknownFields(object, kindOf(object)).empty());
  }
  for (const json& object : objectsOf(fixture("seed-app-edited.yaml"), "seed-app-edited.yaml")) {
    INFO(object.dump());
    CHECK(unknownFields(object, kindOf(object)).empty());
  }
}

TEST_CASE("realistic objects of every kind served have no unknown fields", "[unknown_fields]") {
  std::vector<json> objects = objectsOf(kEveryKind, "every-kind.yaml");
  CHECK(objects.size() == 12);
  for (const json& object : objects) {
    INFO(object.dump());
    CHECK(unknownFields(object, kindOf(object)).empty());
  }
}

TEST_CASE("typos are reported at Kubernetes' paths", "[unknown_fields]") {
  json deployment = json::parse(kTypoDeployment);
  const KindInfo& kind = kindOf(deployment);
  CHECK(unknownFields(deployment, kind) == Paths{
                                               "metadata.lables",
                                               "spec.replica",
                                               "spec.template.spec.containers[1].imagee",
                                               "spec.template.spec.containers[1].ports[0].protocl",
                                               "spec.template.spec.volumes[0].emptyDir.medum",
                                           });
  json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "p"}}}, {"spek", json::object()}};
  CHECK(unknownFields(pod, kindOf(pod)) == Paths{"spek"});
}

TEST_CASE("maps, free-form fields and left-out volume sources are not entered", "[unknown_fields]") {
  json pod = json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p",
      "labels":{"anything":"x"},"annotations":{"spec.replica":"1"}},
      "spec":{"nodeSelector":{"whatever":"x"},
        "containers":[{"name":"c","image":"i","resources":{"limits":{"nvidia.com/gpu":"1"}}}],
        "volumes":[{"name":"v","azureFile":{"secretName":"s","shareName":"x","notInGo":true}},
                   {"name":"w","rbd":{"monitors":["m"],"image":"i"}}],
        "ephemeralContainers":[{"name":"d","image":"busybox","bogus":1}]}})");
  CHECK(unknownFields(pod, kindOf(pod)).empty());
  // A left-out name is known only where Kubernetes has it.
  pod["spec"]["containers"][0]["azureFile"] = json::object();
  CHECK(unknownFields(pod, kindOf(pod)) == Paths{"spec.containers[0].azureFile"});
}

TEST_CASE("patch bodies: directives and deletions are no fields", "[unknown_fields]") {
  const KindInfo& kind = *findKindByKind("apps/v1", "Deployment");
  json patch = json::parse(R"({"metadata":{"annotations":{"a":"b"},"oldTypo":null},
      "spec":{"replica":3,"$retainKeys":["replicas"],
        "template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],
          "containers":[{"name":"a","imagee":"x","$patch":"delete"}]}}}})");
  CHECK(unknownFields(patch, kind, BodyShape::Patch) ==
        Paths{"spec.replica", "spec.template.spec.containers[0].imagee"});
  CHECK(unknownFields(patch, kind, BodyShape::Object).size() == 6);
}

TEST_CASE("fieldValidation Strict refuses with Kubernetes' message", "[unknown_fields]") {
  json deployment = json::parse(kTypoDeployment);
  const KindInfo& kind = kindOf(deployment);
  json body = deployment;
  FieldValidationOutcome outcome = applyFieldValidation(body, kind, "Strict", WriteVerb::Create);
  REQUIRE(outcome.error);
  CHECK(outcome.error->code == 400);
  CHECK(outcome.error->status["reason"] == "BadRequest");
  CHECK(outcome.error->status["message"] ==
        "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: "
        "unknown field \"metadata.lables\", unknown field \"spec.replica\", "
        "unknown field \"spec.template.spec.containers[1].imagee\", "
        "unknown field \"spec.template.spec.containers[1].ports[0].protocl\", "
        "unknown field \"spec.template.spec.volumes[0].emptyDir.medum\"");
  CHECK(body == deployment);

  json patch = {{"spec", {{"replica", 2}}}};
  outcome = applyFieldValidation(patch, kind, "Strict", WriteVerb::Patch);
  REQUIRE(outcome.error);
  CHECK(outcome.error->status["message"] == "strict decoding error: unknown field \"spec.replica\"");

  json good = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"spec", {{"replicas", 2}}}};
  CHECK_FALSE(applyFieldValidation(good, kind, "Strict", WriteVerb::Update).error);
}

TEST_CASE("fieldValidation Warn and Ignore drop unknown fields; absent means Warn", "[unknown_fields]") {
  const KindInfo& kind = *findKindByKind("apps/v1", "Deployment");
  json typo = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"},
               {"spec", {{"replica", 2}, {"replicas", 1}}}};
  json expected = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"spec", {{"replicas", 1}}}};

  json body = typo;
  FieldValidationOutcome outcome = applyFieldValidation(body, kind, "Warn", WriteVerb::Create);
  CHECK_FALSE(outcome.error);
  CHECK(outcome.warnings == Paths{"unknown field \"spec.replica\""});
  CHECK(body == expected);

  body = typo;
  outcome = applyFieldValidation(body, kind, "", WriteVerb::Update);
  CHECK_FALSE(outcome.error);
  CHECK(outcome.warnings.size() == 1);
  CHECK(body == expected);

  body = typo;
  outcome = applyFieldValidation(body, kind, "Ignore", WriteVerb::Create);
  CHECK_FALSE(outcome.error);
  CHECK(outcome.warnings.empty());
  CHECK(body == expected);
}

TEST_CASE("an unsupported fieldValidation value is Invalid", "[unknown_fields]") {
  const KindInfo& kind = *findKindByKind("v1", "ConfigMap");
  json body = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}};
  FieldValidationOutcome outcome = applyFieldValidation(body, kind, "strict", WriteVerb::Patch);
  REQUIRE(outcome.error);
  CHECK(outcome.error->code == 422);
  CHECK(outcome.error->status["message"] ==
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"strict\": "
        "supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
}

}  // namespace minik
