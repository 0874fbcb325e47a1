// Patches as kubectl sends them (apply, label, scale, edit, patch --type),
// checked against the results Kubernetes' API server produces. Several
// cases are ported from k8s.io/apimachinery strategicpatch/patch_test.go
// (Current + ThreeWay patch -> Result), on real fields of built-in kinds.
#include "api/strategic_merge.h"

#include <catch2/catch.hpp>

namespace {

using json = nlohmann::json;

const minik::KindInfo& kind(const char* apiVersion, const char* name) {
  const minik::KindInfo* info = minik::findKindByKind(apiVersion, name);
  REQUIRE(info != nullptr);
  return *info;
}

const minik::KindInfo& deployment() { return kind("apps/v1", "Deployment"); }
const minik::KindInfo& pod() { return kind("v1", "Pod"); }
const minik::KindInfo& service() { return kind("v1", "Service"); }

json strategic(const minik::KindInfo& info, json target, const char* patch) {
  std::string error;
  INFO(patch);
  REQUIRE(minik::applyStrategicMergePatch(info, target, json::parse(patch), &error));
  CHECK(error.empty());
  return target;
}

std::string strategicError(const minik::KindInfo& info, const json& target, const char* patch) {
  json patched = target;
  std::string error;
  CHECK_FALSE(minik::applyStrategicMergePatch(info, patched, json::parse(patch), &error));
  CHECK(patched == target);  // a failed patch leaves the object untouched
  return error;
}

json podWithContainers(const char* containers) {
  return json::parse(
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":)" +
      std::string(containers) + "}}");
}

json liveDeployment() {
  return json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {
      "name": "web", "namespace": "default", "uid": "1f1e", "resourceVersion": "42",
      "generation": 1, "labels": {"app": "web", "tier": "front"},
      "annotations": {
        "deployment.kubernetes.io/revision": "1",
        "kubectl.kubernetes.io/last-applied-configuration": "{\"old\":true}"
      }
    },
    "spec": {
      "replicas": 1, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
      "selector": {"matchLabels": {"app": "web"}},
      "strategy": {"type": "RollingUpdate",
                   "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
      "template": {
        "metadata": {"labels": {"app": "web"}},
        "spec": {
          "containers": [
            {"name": "web", "image": "nginx:1", "imagePullPolicy": "IfNotPresent",
             "ports": [{"containerPort": 80, "protocol": "TCP"}],
             "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
             "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
             "resources": {}},
            {"name": "sidecar", "image": "busybox", "imagePullPolicy": "Always",
             "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
             "resources": {}}
          ],
          "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
          "dnsPolicy": "ClusterFirst",
          "schedulerName": "default-scheduler", "securityContext": {}
        }
      }
    },
    "status": {
      "observedGeneration": 1, "replicas": 1, "readyReplicas": 1,
      "conditions": [
        {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
        {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}
      ]
    }
  })");
}

const json& containerNamed(const json& object, const std::string& name) {
  for (const json& c : object["spec"]["template"]["spec"]["containers"]) {
    if (c["name"] == name) return c;
  }
  FAIL("no container " << name);
  static const json none;
  return none;
}

std::vector<std::string> names(const json& list, const char* key = "name") {
  std::vector<std::string> out;
  for (const json& item : list) out.push_back(item[key].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("kubectl apply changing one image and the replica count changes only those",
          "[strategic_merge]") {
  json live = liveDeployment();
  json patched = strategic(deployment(), live, R"({
    "metadata": {"annotations": {
      "kubectl.kubernetes.io/last-applied-configuration": "{\"new\":true}"}},
    "spec": {"replicas": 3, "template": {"spec": {
      "$setElementOrder/containers": [{"name": "web"}, {"name": "sidecar"}],
      "containers": [{"image": "nginx:2", "name": "web"}]}}}})");

  json expected = live;
  expected["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      "{\"new\":true}";
  expected["spec"]["replicas"] = 3;
  expected["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2";
  CHECK(patched == expected);
}

TEST_CASE("kubectl apply removing a container sends $patch: delete", "[strategic_merge]") {
  json patched = strategic(deployment(), liveDeployment(), R"({
    "spec": {"template": {"spec": {
      "$setElementOrder/containers": [{"name": "web"}],
      "containers": [{"$patch": "delete", "name": "sidecar"}]}}}})");
  const json& containers = patched["spec"]["template"]["spec"]["containers"];
  REQUIRE(containers.size() == 1);
  CHECK(containers[0]["name"] == "web");
  CHECK(containers[0]["imagePullPolicy"] == "IfNotPresent");  // the server's default stays
  CHECK(patched["status"] == liveDeployment()["status"]);
}

TEST_CASE("env merges by name: change, add, delete, order", "[strategic_merge]") {
  json patched = strategic(deployment(), liveDeployment(), R"({
    "spec": {"template": {"spec": {
      "$setElementOrder/containers": [{"name": "web"}, {"name": "sidecar"}],
      "containers": [{"name": "web",
        "$setElementOrder/env": [{"name": "C"}, {"name": "A"}],
        "env": [{"name": "C", "value": "3"}, {"name": "A", "value": "one"},
                {"$patch": "delete", "name": "B"}]}]}}}})");
  const json& env = containerNamed(patched, "web")["env"];
  CHECK(env == json::parse(R"([{"name":"C","value":"3"},{"name":"A","value":"one"}])"));
  CHECK(containerNamed(patched, "web")["ports"] ==
        json::parse(R"([{"containerPort":80,"protocol":"TCP"}])"));
}

TEST_CASE("container ports merge by containerPort, volumeMounts by mountPath",
          "[strategic_merge]") {
  json live = podWithContainers(R"([{"name":"c","image":"i",
    "ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}],
    "volumeMounts":[{"name":"data","mountPath":"/data"},{"name":"cfg","mountPath":"/etc/cfg"}]}])");
  json patched = strategic(pod(), live, R"({"spec":{"containers":[{"name":"c",
    "ports":[{"containerPort":443,"name":"https"}],
    "volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}})");
  const json& c = patched["spec"]["containers"][0];
  CHECK(c["ports"] == json::parse(R"([{"containerPort":80,"protocol":"TCP"},
                                     {"containerPort":443,"protocol":"TCP","name":"https"}])"));
  CHECK(c["volumeMounts"] == json::parse(R"([{"name":"data","mountPath":"/data","readOnly":true},
                                            {"name":"cfg","mountPath":"/etc/cfg"}])"));
}

TEST_CASE("lists without a patch strategy are replaced whole", "[strategic_merge]") {
  json live = podWithContainers(R"([{"name":"c","image":"i","args":["a","b"],
    "envFrom":[{"configMapRef":{"name":"one"}}]}])");
  live["spec"]["tolerations"] = json::parse(R"([{"key":"k1","operator":"Exists"}])");
  json patched = strategic(pod(), live, R"({"spec":{
    "tolerations":[{"key":"k2","operator":"Exists"}],
    "containers":[{"name":"c","args":["z"],"envFrom":[{"secretRef":{"name":"two"}}]}]}})");
  CHECK(patched["spec"]["tolerations"] == json::parse(R"([{"key":"k2","operator":"Exists"}])"));
  CHECK(patched["spec"]["containers"][0]["args"] == json::parse(R"(["z"])"));
  CHECK(patched["spec"]["containers"][0]["envFrom"] ==
        json::parse(R"([{"secretRef":{"name":"two"}}])"));
}

TEST_CASE("service ports merge by port alone, as in Kubernetes", "[strategic_merge]") {
  json live = json::parse(R"({"spec":{"type":"ClusterIP","clusterIP":"10.43.0.10",
    "ports":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},
             {"name":"metrics","port":9153,"protocol":"TCP","targetPort":9153}]}})");
  json patched = strategic(service(), live, R"({"spec":{
    "$setElementOrder/ports":[{"port":53},{"port":9153},{"port":8080}],
    "ports":[{"port":9153,"targetPort":9154},{"name":"http","port":8080,"targetPort":80}]}})");
  CHECK(patched["spec"]["ports"] == json::parse(R"([
    {"name":"dns","port":53,"protocol":"UDP","targetPort":53},
    {"name":"metrics","port":9153,"protocol":"TCP","targetPort":9154},
    {"name":"http","port":8080,"targetPort":80}])"));
  CHECK(patched["spec"]["clusterIP"] == "10.43.0.10");

  // A TCP port 53 next to the UDP one is the same element to a strategic
  // merge: it merges into it (Kubernetes issue #39188).
  json collided =
      strategic(service(), live, R"({"spec":{"ports":[{"port":53,"protocol":"TCP"}]}})");
  CHECK(collided["spec"]["ports"].size() == 2);
  CHECK(collided["spec"]["ports"][0] ==
        json::parse(R"({"name":"dns","port":53,"protocol":"TCP","targetPort":53})"));
}

TEST_CASE("finalizers merge as a set; $deleteFromPrimitiveList removes", "[strategic_merge]") {
  json live = json::parse(R"({"metadata":{"name":"x","finalizers":["a","b"]}})");
  SECTION("adding keeps the live ones, without duplicates") {
    json patched = strategic(pod(), live, R"({"metadata":{"finalizers":["b","c"]}})");
    CHECK(patched["metadata"]["finalizers"] == json::parse(R"(["a","b","c"])"));
    // Without $setElementOrder, an item the live list lacks is placed before
    // the live items it is compared with (mergeSortedSlice's tie rule).
    json added = strategic(pod(), live, R"({"metadata":{"finalizers":["c"]}})");
    CHECK(added["metadata"]["finalizers"] == json::parse(R"(["c","a","b"])"));
  }
  SECTION("kubectl apply's form, with the order") {
    json patched = strategic(pod(), live, R"({"metadata":{
      "$setElementOrder/finalizers":["a","c"],"finalizers":["c"],
      "$deleteFromPrimitiveList/finalizers":["b"]}})");
    CHECK(patched["metadata"]["finalizers"] == json::parse(R"(["a","c"])"));
  }
  SECTION("deleting an absent item adds nothing, and creates no list") {
    CHECK(strategic(pod(), live, R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["z"]}})") ==
          live);
    json bare = json::parse(R"({"metadata":{"name":"x"}})");
    CHECK(strategic(pod(), bare, R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})") ==
          bare);
  }
  SECTION("ported: merge lists of scalars keeps server-only items after") {
    json current = json::parse(R"({"metadata":{"finalizers":["1","2","4"]}})");
    json patched = strategic(pod(), current, R"({"metadata":{
      "$setElementOrder/finalizers":["1","2","3"],"finalizers":["3"]}})");
    CHECK(patched["metadata"]["finalizers"] == json::parse(R"(["1","2","3","4"])"));
  }
}

TEST_CASE("labels and annotations are maps: null removes a key", "[strategic_merge]") {
  json live = liveDeployment();
  json patched = strategic(deployment(), live,
                           R"({"metadata":{"labels":{"tier":null,"env":"prod","absent":null}}})");
  CHECK(patched["metadata"]["labels"] == json::parse(R"({"app":"web","env":"prod"})"));
  CHECK(patched["metadata"]["annotations"] == live["metadata"]["annotations"]);
}

TEST_CASE("kubectl scale and label send plain merge patches", "[strategic_merge]") {
  json patched = strategic(deployment(), liveDeployment(), R"({"spec":{"replicas":0}})");
  CHECK(patched["spec"]["replicas"] == 0);
  CHECK(patched["spec"]["template"] == liveDeployment()["spec"]["template"]);
}

TEST_CASE("$retainKeys clears the fields it does not list", "[strategic_merge]") {
  // kubectl apply switching the strategy to Recreate.
  json patched = strategic(deployment(), liveDeployment(), R"({"spec":{"strategy":{
    "$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}})");
  CHECK(patched["spec"]["strategy"] == json::parse(R"({"type":"Recreate"})"));

  // A volume switching its source from emptyDir to a configMap.
  json live = podWithContainers(R"([{"name":"c","image":"i"}])");
  live["spec"]["volumes"] = json::parse(R"([{"name":"v","emptyDir":{}}])");
  json switched = strategic(pod(), live, R"({"spec":{"volumes":[{"name":"v",
    "$retainKeys":["configMap","name"],"configMap":{"name":"cm"},"emptyDir":null}]}})");
  CHECK(switched["spec"]["volumes"] == json::parse(R"([{"name":"v","configMap":{"name":"cm"}}])"));

  CHECK(strategicError(deployment(), liveDeployment(),
                       R"({"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}})") ==
        "invalid patch format of retainKeys");
  CHECK(strategicError(deployment(), liveDeployment(),
                       R"({"spec":{"strategy":{"$retainKeys":"type"}}})") ==
        "invalid patch format of retainKeys");
}

TEST_CASE("$setElementOrder orders the list, server-only items keep their neighbours",
          "[strategic_merge]") {
  SECTION("ported: set elements order in a list with server-only items 2") {
    json current = podWithContainers(R"([{"name":"1","other":"a"},{"name":"2","value":"2"},
      {"name":"9"},{"name":"3","value":"3"},{"name":"4","value":"4"}])");
    json patched = strategic(pod(), current, R"({"spec":{
      "$setElementOrder/containers":[{"name":"2"},{"name":"1"},{"name":"4"},{"name":"3"}]}})");
    CHECK(names(patched["spec"]["containers"]) ==
          std::vector<std::string>{"2", "1", "9", "4", "3"});
    CHECK(patched["spec"]["containers"][1] == json::parse(R"({"name":"1","other":"a"})"));
  }
  SECTION("ported: merge lists of maps") {
    json current =
        podWithContainers(R"([{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"}])");
    json patched = strategic(pod(), current, R"({"spec":{
      "$setElementOrder/containers":[{"name":"4"},{"name":"1"},{"name":"2"},{"name":"3"}],
      "containers":[{"name":"4","value":"4"},{"name":"3","value":"3"}]}})");
    CHECK(patched["spec"]["containers"] == json::parse(R"([{"name":"4","value":"4"},
      {"name":"1","other":"a"},{"name":"2","value":"2","other":"b"},{"name":"3","value":"3"}])"));
  }
  SECTION("ported: an order naming items the list lacks") {
    json current = json::parse(R"({"metadata":{"finalizers":["1","3"]}})");
    json patched =
        strategic(pod(), current, R"({"metadata":{"$setElementOrder/finalizers":["3","2","1"]}})");
    CHECK(patched["metadata"]["finalizers"] == json::parse(R"(["3","1"])"));
  }
  SECTION("the patch list must follow the order") {
    json current = podWithContainers(R"([{"name":"1"},{"name":"3"},{"name":"2"}])");
    std::string error = strategicError(pod(), current, R"({"spec":{
      "$setElementOrder/containers":[{"name":"1"},{"name":"2"},{"name":"3"}],
      "containers":[{"name":"3","value":"3"},{"name":"1","value":"1"}]}})");
    CHECK(error ==
          "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n"
          " doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n");
  }
}

TEST_CASE("$patch: replace swaps a map or a list for the patch's", "[strategic_merge]") {
  json live = liveDeployment();
  json patched = strategic(deployment(), live, R"({"spec":{"template":{"spec":{
    "containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}}})");
  CHECK(patched["spec"]["template"]["spec"]["containers"] ==
        json::parse(R"([{"name":"only","image":"x"}])"));

  json selector = strategic(
      deployment(), live, R"({"spec":{"selector":{"$patch":"replace","matchLabels":{"k":"v"}}}})");
  CHECK(selector["spec"]["selector"] == json::parse(R"({"matchLabels":{"k":"v"}})"));

  // On a map, delete empties it (handleDirectiveInMergeMap returns {}).
  json emptied = strategic(deployment(), live, R"({"metadata":{"labels":{"$patch":"delete"}}})");
  CHECK(emptied["metadata"]["labels"] == json::object());
}

TEST_CASE("unknown or unsupported directives are errors that change nothing", "[strategic_merge]") {
  json live = liveDeployment();
  CHECK(strategicError(deployment(), live, R"({"metadata":{"labels":{"$patch":"bogus"}}})") ==
        "unknown patch type: bogus in map: map[$patch:bogus]");
  CHECK(strategicError(deployment(), live, R"({"metadata":{"labels":{"$patch":"merge"}}})") ==
        "unknown patch type: merge in map: map[$patch:merge]");
  CHECK(strategicError(deployment(), live, R"({"spec":{"replicas":5,"template":{"spec":{
          "containers":[{"name":"web","$patch":"zap"}]}}}})") ==
        "unknown patch type: zap in map: map[$patch:zap name:web]");
  CHECK(strategicError(deployment(), live, R"({"spec":{"template":{"spec":{
          "containers":[{"$patch":"merge"}]}}}})") ==
        "merging lists cannot yet be specified in the patch");
  CHECK(strategicError(deployment(), live,
                       R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})") ==
        "map: map[image:x] does not contain declared merge key: name");
  CHECK(strategicError(deployment(), live, R"({"metadata":{"$setElementOrderfinalizers":[]}})") ==
        "invalid patch format of setElementOrder list");
  CHECK(strategicError(deployment(), live, R"({"metadata":{"$deleteFromPrimitiveList":["a"]}})") ==
        "invalid patch format of primitive list");
  CHECK(strategicError(deployment(), live, R"([{"op":"add"}])") ==
        "json: cannot unmarshal array into Go value of type map[string]interface {}");
}

TEST_CASE("added values lose the directives and nulls the typed object drops",
          "[strategic_merge]") {
  json live = podWithContainers(R"([{"name":"c","image":"i"}])");
  json patched = strategic(pod(), live, R"({"spec":{
    "$setElementOrder/containers":[{"name":"c"},{"name":"d"}],
    "containers":[{"name":"d","image":"j","workingDir":null,
      "$setElementOrder/env":[{"name":"E"}],
      "env":[{"name":"E","value":"1"},{"name":"F","$patch":"delete"}]}],
    "securityContext":{"runAsUser":1000,"fsGroup":null}}})");
  CHECK(patched["spec"]["containers"][1] ==
        json::parse(R"({"name":"d","image":"j","env":[{"name":"E","value":"1"}]})"));
  CHECK(patched["spec"]["securityContext"] == json::parse(R"({"runAsUser":1000})"));
}

TEST_CASE("status lists merge by their keys", "[strategic_merge]") {
  json patched = strategic(deployment(), liveDeployment(), R"({"status":{"conditions":[
    {"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}})");
  const json& conditions = patched["status"]["conditions"];
  REQUIRE(conditions.size() == 2);
  CHECK(names(conditions, "type") == std::vector<std::string>{"Available", "Progressing"});
  CHECK(conditions[0]["reason"] == "MinimumReplicasAvailable");
  CHECK(conditions[1]["reason"] == "ProgressDeadlineExceeded");

  json node = json::parse(R"({"status":{
    "addresses":[{"type":"InternalIP","address":"10.0.0.5"},{"type":"Hostname","address":"edge1"}],
    "conditions":[{"type":"Ready","status":"True"},{"type":"MemoryPressure","status":"False"}]}})");
  json heartbeat = strategic(kind("v1", "Node"), node, R"({"status":{
    "conditions":[{"type":"Ready","status":"False"}],
    "addresses":[{"type":"InternalIP","address":"10.0.0.6"}]}})");
  CHECK(heartbeat["status"]["conditions"] ==
        json::parse(
            R"([{"type":"Ready","status":"False"},{"type":"MemoryPressure","status":"False"}])"));
  CHECK(
      heartbeat["status"]["addresses"] ==
      json::parse(
          R"([{"type":"InternalIP","address":"10.0.0.6"},{"type":"Hostname","address":"edge1"}])"));

  json podStatus = json::parse(R"({"status":{"podIPs":[{"ip":"10.42.0.5"}],
    "conditions":[{"type":"Ready","status":"False"}]}})");
  json ready = strategic(pod(), podStatus,
                         R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})");
  CHECK(ready["status"]["conditions"] == json::parse(R"([{"type":"Ready","status":"True"}])"));
}

TEST_CASE("ownerReferences merge by uid", "[strategic_merge]") {
  json live = json::parse(R"({"metadata":{"ownerReferences":[
    {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"u1","controller":true}]}})");
  json patched = strategic(kind("apps/v1", "ReplicaSet"), live, R"({"metadata":{"ownerReferences":[
    {"uid":"u1","blockOwnerDeletion":true},
    {"apiVersion":"v1","kind":"Pod","name":"b","uid":"u2"}]}})");
  CHECK(patched["metadata"]["ownerReferences"] == json::parse(R"([
    {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"u1","controller":true,
     "blockOwnerDeletion":true},
    {"apiVersion":"v1","kind":"Pod","name":"b","uid":"u2"}])"));
}

TEST_CASE("EndpointSlice endpoints and ports are atomic", "[strategic_merge]") {
  json live = json::parse(R"({"addressType":"IPv4",
    "endpoints":[{"addresses":["10.42.0.5"]},{"addresses":["10.42.0.6"]}],
    "ports":[{"name":"http","port":80,"protocol":"TCP"}]})");
  json patched = strategic(kind("discovery.k8s.io/v1", "EndpointSlice"), live,
                           R"({"endpoints":[{"addresses":["10.42.0.7"]}],"ports":[{"port":81}]})");
  CHECK(patched["endpoints"] == json::parse(R"([{"addresses":["10.42.0.7"]}])"));
  CHECK(patched["ports"] == json::parse(R"([{"port":81}])"));
}

TEST_CASE("JSON merge patch follows RFC 7386 as Kubernetes applies it", "[strategic_merge]") {
  json live = liveDeployment();
  std::string error;
  json patched = live;
  REQUIRE(minik::applyMergePatch(patched,
                                 json::parse(R"({"metadata":{"labels":{"tier":null,"x":"y"}},
    "spec":{"template":{"spec":{"containers":[{"name":"solo","image":"a","args":null}]}}}})"),
                                 &error));
  CHECK(patched["metadata"]["labels"] == json::parse(R"({"app":"web","x":"y"})"));
  // Lists are replaced; nulls inside added values are pruned, even in lists.
  CHECK(patched["spec"]["template"]["spec"]["containers"] ==
        json::parse(R"([{"name":"solo","image":"a"}])"));
  CHECK(patched["status"] == live["status"]);

  json replaced = live;
  REQUIRE(minik::applyMergePatch(replaced, json::parse(R"([1,2])"), &error));
  CHECK(replaced == json::parse("[1,2]"));

  json untouched = live;
  CHECK_FALSE(minik::applyMergePatch(untouched, json(), &error));
  CHECK(error == "Invalid JSON Patch");
  CHECK(untouched == live);
}

TEST_CASE("JSON patch applies RFC 6902 operations in order", "[strategic_merge]") {
  json doc = json::parse(R"({"metadata":{"labels":{"app":"web"}},"spec":{"list":[1,2,3]}})");
  std::string error;
  REQUIRE(minik::applyJsonPatch(doc, json::parse(R"([
    {"op":"test","path":"/metadata/labels/app","value":"web"},
    {"op":"add","path":"/metadata/labels/a~1b","value":"slash"},
    {"op":"replace","path":"/spec/list/0","value":10},
    {"op":"remove","path":"/spec/list/1"},
    {"op":"add","path":"/spec/list/-","value":4},
    {"op":"copy","from":"/spec/list","path":"/spec/copy"},
    {"op":"move","from":"/metadata/labels/app","path":"/metadata/labels/name"}])"),
                                &error));
  CHECK(doc == json::parse(R"({"metadata":{"labels":{"a/b":"slash","name":"web"}},
                             "spec":{"list":[10,3,4],"copy":[10,3,4]}})"));
}

TEST_CASE("JSON patch errors read as Kubernetes' and change nothing", "[strategic_merge]") {
  const json doc = json::parse(R"({"metadata":{"labels":{"app":"web"}},"spec":{"list":[1]}})");
  auto errorOf = [&](const char* patch) {
    json patched = doc;
    std::string error;
    CHECK_FALSE(minik::applyJsonPatch(patched, json::parse(patch), &error));
    CHECK(patched == doc);
    return error;
  };
  CHECK(errorOf(R"([{"op":"add","path":"/metadata/labels/x","value":"1"},
                    {"op":"test","path":"/metadata/labels/app","value":"db"}])") ==
        "testing value /metadata/labels/app failed: test failed");
  CHECK(errorOf(R"([{"op":"remove","path":"/metadata/labels/nope"}])") ==
        "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: "
        "nope: missing value");
  CHECK(errorOf(R"([{"op":"add","path":"/status/phase","value":"x"}])") ==
        "add operation does not apply: doc is missing path: \"/status/phase\": missing value");
  CHECK(errorOf(R"([{"op":"replace","path":"/spec/list/5","value":1}])") ==
        "replace operation does not apply: doc is missing key: /spec/list/5: missing value");
  CHECK(errorOf(R"([{"op":"add","path":"/spec/list/3","value":1}])") ==
        "error in add for path: '/spec/list/3': Unable to access invalid index: 3: invalid index "
        "referenced");
  CHECK(errorOf(R"([{"op":"frobnicate","path":"/x"}])") == "Unexpected kind: frobnicate");
  CHECK(errorOf(R"({"op":"add"})") ==
        "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
}
