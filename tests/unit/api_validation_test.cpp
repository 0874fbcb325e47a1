// Defaults and validation per kind: the values Kubernetes fills and the errors
// (paths and messages) it reports for the common mistakes.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/kinds.h"
#include "api/validation.h"

using namespace minik;
using nlohmann::json;

namespace {

const KindInfo& kind(const char* apiVersion, const char* name) {
  const KindInfo* k = findKindByKind(apiVersion, name);
  REQUIRE(k != nullptr);
  return *k;
}

std::vector<std::string> described(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(describe(e));
  return out;
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// Defaults then validation, as the API server runs them on create.
std::vector<std::string> createErrors(const KindInfo& k, json object) {
  applyDefaults(k, object);
  return described(validateObject(k, object, nullptr));
}

json pod() {
  return json::parse(R"({"apiVersion":"v1","kind":"Pod",
    "metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
    "spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}]}]}})");
}

json deployment() {
  return json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"web","namespace":"default"},
    "spec":{"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}})");
}

json service() {
  return json::parse(R"({"apiVersion":"v1","kind":"Service",
    "metadata":{"name":"web","namespace":"default"},
    "spec":{"selector":{"app":"web"},"ports":[{"port":80}]}})");
}

const std::string kSubdomainTail =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

}  // namespace

TEST_CASE("pod defaults are Kubernetes' and applying them twice changes nothing", "[api]") {
  const KindInfo& k = kind("v1", "Pod");
  json p = pod();
  p["spec"]["containers"].push_back({{"name", "side"}, {"image", "busybox:1.36"},
                                     {"resources", {{"limits", {{"cpu", "1"}, {"memory", "1Gi"}}}}}});
  applyDefaults(k, p);
  const json& spec = p["spec"];
  CHECK(spec["restartPolicy"] == "Always");
  CHECK(spec["dnsPolicy"] == "ClusterFirst");
  CHECK(spec["terminationGracePeriodSeconds"] == 30);
  CHECK(spec["schedulerName"] == "default-scheduler");
  CHECK(spec["securityContext"] == json::object());
  CHECK(spec["enableServiceLinks"] == true);
  CHECK(spec["preemptionPolicy"] == "PreemptLowerPriority");
  CHECK(spec["priority"] == 0);
  const json& c0 = spec["containers"][0];
  CHECK(c0["imagePullPolicy"] == "Always");  // no tag means :latest
  CHECK(c0["terminationMessagePath"] == "/dev/termination-log");
  CHECK(c0["terminationMessagePolicy"] == "File");
  CHECK(c0["ports"][0]["protocol"] == "TCP");
  CHECK(c0["resources"] == json::object());
  const json& c1 = spec["containers"][1];
  CHECK(c1["imagePullPolicy"] == "IfNotPresent");
  CHECK(c1["resources"]["requests"] == json{{"cpu", "1"}, {"memory", "1Gi"}});  // requests default to limits
  CHECK(p["status"]["phase"] == "Pending");
  CHECK(p["status"]["qosClass"] == "Burstable");  // the first container has no resources

  json again = p;
  applyDefaults(k, again);
  CHECK(again == p);
}

TEST_CASE("defaults never overwrite what is set", "[api]") {
  const KindInfo& k = kind("v1", "Pod");
  json p = pod();
  p["spec"]["restartPolicy"] = "Never";
  p["spec"]["terminationGracePeriodSeconds"] = 5;
  p["spec"]["containers"][0]["imagePullPolicy"] = "Never";
  p["spec"]["containers"][0]["ports"][0]["protocol"] = "UDP";
  applyDefaults(k, p);
  CHECK(p["spec"]["restartPolicy"] == "Never");
  CHECK(p["spec"]["terminationGracePeriodSeconds"] == 5);
  CHECK(p["spec"]["containers"][0]["imagePullPolicy"] == "Never");
  CHECK(p["spec"]["containers"][0]["ports"][0]["protocol"] == "UDP");
  CHECK(p["status"]["qosClass"] == "BestEffort");
}

TEST_CASE("image pull policy follows the tag", "[api]") {
  const KindInfo& k = kind("v1", "Pod");
  auto policyFor = [&](const char* image) {
    json p = pod();
    p["spec"]["containers"][0]["image"] = image;
    applyDefaults(k, p);
    return p["spec"]["containers"][0]["imagePullPolicy"].get<std::string>();
  };
  CHECK(policyFor("nginx") == "Always");
  CHECK(policyFor("nginx:latest") == "Always");
  CHECK(policyFor("registry:5000/nginx") == "Always");
  CHECK(policyFor("registry:5000/nginx:1.25") == "IfNotPresent");
  CHECK(policyFor("nginx@sha256:0123") == "IfNotPresent");
}

TEST_CASE("a guaranteed pod has equal cpu and memory requests and limits", "[api]") {
  const KindInfo& k = kind("v1", "Pod");
  json p = pod();
  p["spec"]["containers"][0]["resources"] = {{"limits", {{"cpu", "500m"}, {"memory", "128Mi"}}},
                                             {"requests", {{"cpu", "0.5"}}}};
  applyDefaults(k, p);
  CHECK(p["status"]["qosClass"] == "Guaranteed");
}

TEST_CASE("a valid pod, deployment and service pass validation", "[api]") {
  CHECK(createErrors(kind("v1", "Pod"), pod()).empty());
  CHECK(createErrors(kind("apps/v1", "Deployment"), deployment()).empty());
  CHECK(createErrors(kind("v1", "Service"), service()).empty());
  json rs = deployment();
  rs["kind"] = "ReplicaSet";
  CHECK(createErrors(kind("apps/v1", "ReplicaSet"), rs).empty());
}

TEST_CASE("bad and missing names are reported per kind", "[api]") {
  json p = pod();
  p["metadata"]["name"] = "Bad_Name";
  CHECK(createErrors(kind("v1", "Pod"), p) ==
        std::vector<std::string>{"metadata.name: Invalid value: \"Bad_Name\": " + kSubdomainTail});

  p["metadata"].erase("name");
  CHECK(createErrors(kind("v1", "Pod"), p) ==
        std::vector<std::string>{"metadata.name: Required value: name or generateName is required"});
  p["metadata"]["generateName"] = "web-";
  CHECK(createErrors(kind("v1", "Pod"), p).empty());

  json s = service();
  s["metadata"]["name"] = "1web";
  auto errors = createErrors(kind("v1", "Service"), s);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist", 0) == 0);

  json ns = {{"metadata", {{"name", "a.b"}}}};
  CHECK(createErrors(kind("v1", "Namespace"), ns) ==
        std::vector<std::string>{"metadata.name: Invalid value: \"a.b\": must not contain dots"});

  json cm = {{"metadata", {{"name", "c"}}}};
  CHECK(createErrors(kind("v1", "ConfigMap"), cm) == std::vector<std::string>{"metadata.namespace: Required value"});
  json node = {{"metadata", {{"name", "n1"}, {"namespace", "default"}}}};
  CHECK(createErrors(kind("v1", "Node"), node) ==
        std::vector<std::string>{"metadata.namespace: Forbidden: not allowed on this type"});
}

TEST_CASE("labels and annotations of metadata are validated", "[api]") {
  json cm = {{"metadata", {{"name", "c"}, {"namespace", "default"}, {"labels", {{"app", "-x"}}},
                           {"annotations", {{"big", std::string(256 * 1024, 'x')}}}}}};
  auto errors = createErrors(kind("v1", "ConfigMap"), cm);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].rfind("metadata.labels: Invalid value: \"-x\": a valid label must be an empty string", 0) == 0);
  CHECK(errors[1] == "metadata.annotations: Too long: must have at most 262144 bytes");
}

TEST_CASE("pod spec errors carry Kubernetes' paths", "[api]") {
  const KindInfo& k = kind("v1", "Pod");
  json p = pod();
  p["spec"]["containers"] = json::array();
  CHECK(createErrors(k, p) == std::vector<std::string>{"spec.containers: Required value"});

  p = pod();
  p["spec"]["containers"].push_back({{"name", "nginx"}, {"image", "nginx"}});
  CHECK(createErrors(k, p) == std::vector<std::string>{"spec.containers[1].name: Duplicate value: \"nginx\""});

  p = pod();
  p["spec"]["containers"][0].erase("image");
  p["spec"]["containers"][0]["name"] = "Web";
  p["spec"]["containers"][0]["ports"][0]["containerPort"] = 70000;
  p["spec"]["restartPolicy"] = "Sometimes";
  auto errors = createErrors(k, p);
  CHECK(contains(errors, "spec.containers[0].image: Required value"));
  CHECK(contains(errors, "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and "
                         "65535, inclusive"));
  CHECK(contains(errors, "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
                         "\"OnFailure\", \"Never\""));
  CHECK(std::any_of(errors.begin(), errors.end(), [](const std::string& e) {
    return e.rfind("spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label", 0) == 0;
  }));
}

TEST_CASE("a pod's spec is immutable on update except images", "[api]") {
  const KindInfo& k = kind("v1", "Pod");
  json old = pod();
  applyDefaults(k, old);
  json next = old;
  next["spec"]["containers"][0]["image"] = "nginx:1.26";
  CHECK(validateObject(k, next, &old).empty());
  next["spec"]["nodeName"] = "node-1";  // binding a pending pod
  CHECK(validateObject(k, next, &old).empty());
  next["spec"]["restartPolicy"] = "Never";
  auto errors = described(validateObject(k, next, &old));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`", 0) == 0);
}

TEST_CASE("deployment defaults", "[api]") {
  const KindInfo& k = kind("apps/v1", "Deployment");
  json d = deployment();
  applyDefaults(k, d);
  CHECK(d["spec"]["replicas"] == 1);
  CHECK(d["spec"]["strategy"] == json{{"type", "RollingUpdate"},
                                      {"rollingUpdate", {{"maxSurge", "25%"}, {"maxUnavailable", "25%"}}}});
  CHECK(d["spec"]["revisionHistoryLimit"] == 10);
  CHECK(d["spec"]["progressDeadlineSeconds"] == 600);
  const json& podSpec = d["spec"]["template"]["spec"];
  CHECK(podSpec["restartPolicy"] == "Always");
  CHECK(podSpec["containers"][0]["imagePullPolicy"] == "IfNotPresent");
  CHECK_FALSE(podSpec.contains("enableServiceLinks"));  // a Pod-only default
  CHECK_FALSE(d["spec"]["template"].contains("status"));
  json again = d;
  applyDefaults(k, again);
  CHECK(again == d);

  json rs = deployment();
  applyDefaults(kind("apps/v1", "ReplicaSet"), rs);
  CHECK(rs["spec"]["replicas"] == 1);
  CHECK_FALSE(rs["spec"].contains("strategy"));
}

TEST_CASE("a deployment's selector must exist and match its template", "[api]") {
  const KindInfo& k = kind("apps/v1", "Deployment");
  json d = deployment();
  d["spec"]["template"]["metadata"]["labels"] = {{"app", "x"}};
  CHECK(createErrors(k, d) ==
        std::vector<std::string>{"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: "
                                 "`selector` does not match template `labels`"});

  d = deployment();
  d["spec"].erase("selector");
  CHECK(createErrors(k, d) ==
        std::vector<std::string>{"spec.selector: Required value",
                                 "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: "
                                 "`selector` does not match template `labels`"});

  d = deployment();
  d["spec"]["replicas"] = -1;
  CHECK(createErrors(k, d) ==
        std::vector<std::string>{"spec.replicas: Invalid value: -1: must be greater than or equal to 0"});

  d = deployment();
  d["spec"]["template"]["spec"]["restartPolicy"] = "Never";
  CHECK(createErrors(k, d) == std::vector<std::string>{
                                  "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: "
                                  "\"Always\""});

  d = deployment();
  d["spec"]["template"]["spec"]["containers"] = json::array();
  CHECK(createErrors(k, d) == std::vector<std::string>{"spec.template.spec.containers: Required value"});
}

TEST_CASE("a deployment's selector is immutable", "[api]") {
  const KindInfo& k = kind("apps/v1", "Deployment");
  json old = deployment();
  applyDefaults(k, old);
  json next = old;
  next["spec"]["replicas"] = 3;
  CHECK(validateObject(k, next, &old).empty());
  next["spec"]["selector"]["matchLabels"]["tier"] = "front";
  next["spec"]["template"]["metadata"]["labels"]["tier"] = "front";
  CHECK(described(validateObject(k, next, &old)) ==
        std::vector<std::string>{"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"
                                 "\"app\":\"web\", \"tier\":\"front\"}, MatchExpressions:[]v1.LabelSelectorRequirement"
                                 "(nil)}: field is immutable"});
}

TEST_CASE("service defaults", "[api]") {
  const KindInfo& k = kind("v1", "Service");
  json s = service();
  s["spec"]["ports"].push_back({{"name", "metrics"}, {"port", 9090}, {"targetPort", "metrics"}});
  s["spec"]["ports"][0]["name"] = "http";
  applyDefaults(k, s);
  const json& spec = s["spec"];
  CHECK(spec["type"] == "ClusterIP");
  CHECK(spec["sessionAffinity"] == "None");
  CHECK(spec["ports"][0]["protocol"] == "TCP");
  CHECK(spec["ports"][0]["targetPort"] == 80);
  CHECK(spec["ports"][1]["targetPort"] == "metrics");
  CHECK(spec["ipFamilyPolicy"] == "SingleStack");
  CHECK(spec["ipFamilies"] == json::array({"IPv4"}));
  CHECK(spec["internalTrafficPolicy"] == "Cluster");
  CHECK(s["status"] == json{{"loadBalancer", json::object()}});
  json again = s;
  applyDefaults(k, again);
  CHECK(again == s);

  json withIP = service();
  withIP["spec"]["clusterIP"] = "10.96.0.10";
  applyDefaults(k, withIP);
  CHECK(withIP["spec"]["clusterIPs"] == json::array({"10.96.0.10"}));

  json external = {{"metadata", {{"name", "ext"}, {"namespace", "default"}}},
                   {"spec", {{"type", "ExternalName"}, {"externalName", "example.com"}}}};
  applyDefaults(k, external);
  CHECK_FALSE(external["spec"].contains("ipFamilies"));
  CHECK(validateObject(k, external, nullptr).empty());
}

TEST_CASE("service validation errors", "[api]") {
  const KindInfo& k = kind("v1", "Service");
  json s = service();
  s["spec"]["ports"] = json::array();
  CHECK(createErrors(k, s) == std::vector<std::string>{"spec.ports: Required value"});

  s = service();
  s["spec"]["clusterIP"] = "None";
  s["spec"]["ports"] = json::array();
  CHECK(createErrors(k, s).empty());  // headless services need no ports

  s = service();
  s["spec"]["ports"] = {{{"port", 80}}, {{"port", 70000}, {"protocol", "HTTP"}}};
  CHECK(createErrors(k, s) == std::vector<std::string>{
                                  "spec.ports[0].name: Required value",
                                  "spec.ports[1].name: Required value",
                                  "spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
                                  "spec.ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", "
                                  "\"TCP\", \"UDP\"",
                                  // the defaulted targetPort (= port) is out of range too
                                  "spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, "
                                  "inclusive"});

  s = service();
  s["spec"]["type"] = "Magic";
  CHECK(createErrors(k, s) == std::vector<std::string>{"spec.type: Unsupported value: \"Magic\": supported values: "
                                                       "\"ClusterIP\", \"ExternalName\", \"LoadBalancer\", "
                                                       "\"NodePort\""});

  s = service();
  s["spec"]["clusterIP"] = "abc";
  CHECK(createErrors(k, s) == std::vector<std::string>{"spec.clusterIPs[0]: Invalid value: \"abc\": must be a valid "
                                                       "IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"});

  json external = {{"metadata", {{"name", "ext"}, {"namespace", "default"}}}, {"spec", {{"type", "ExternalName"}}}};
  CHECK(createErrors(k, external) == std::vector<std::string>{"spec.externalName: Required value"});

  s = service();
  s["spec"]["selector"] = {{"app", "bad value"}};
  auto errors = createErrors(k, s);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("spec.selector: Invalid value: \"bad value\"", 0) == 0);
}

TEST_CASE("a service's cluster IP may not change once set", "[api]") {
  const KindInfo& k = kind("v1", "Service");
  json old = service();
  old["spec"]["clusterIP"] = "10.96.0.10";
  applyDefaults(k, old);
  json next = old;
  next["spec"]["clusterIP"] = "10.96.0.11";
  next["spec"]["clusterIPs"] = json::array({"10.96.0.11"});
  CHECK(described(validateObject(k, next, &old)) ==
        std::vector<std::string>{"spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set"});

  // A replacement that leaves the address out keeps the allocated one.
  json replacement = service();
  preserveAllocatedFields(k, replacement, old);
  applyDefaults(k, replacement);
  CHECK(replacement["spec"]["clusterIP"] == "10.96.0.10");
  CHECK(validateObject(k, replacement, &old).empty());
}

TEST_CASE("namespace, secret and endpoint slice defaults", "[api]") {
  json ns = {{"metadata", {{"name", "team"}}}};
  applyDefaults(kind("v1", "Namespace"), ns);
  CHECK(ns["spec"]["finalizers"] == json::array({"kubernetes"}));
  CHECK(ns["status"]["phase"] == "Active");
  CHECK(ns["metadata"]["labels"]["kubernetes.io/metadata.name"] == "team");
  CHECK(validateObject(kind("v1", "Namespace"), ns, nullptr).empty());

  json secret = {{"metadata", {{"name", "s"}, {"namespace", "default"}}}, {"stringData", {{"user", "admin"}}}};
  applyDefaults(kind("v1", "Secret"), secret);
  CHECK(secret["type"] == "Opaque");
  CHECK(secret["data"]["user"] == "YWRtaW4=");
  CHECK_FALSE(secret.contains("stringData"));

  json slice = {{"metadata", {{"name", "web-abc"}, {"namespace", "default"}}},
                {"addressType", "IPv4"},
                {"endpoints", {{{"addresses", {"10.0.0.5"}}}}},
                {"ports", {{{"port", 80}}}}};
  applyDefaults(kind("discovery.k8s.io/v1", "EndpointSlice"), slice);
  CHECK(slice["ports"][0]["protocol"] == "TCP");
  CHECK(validateObject(kind("discovery.k8s.io/v1", "EndpointSlice"), slice, nullptr).empty());
}

TEST_CASE("endpoint slices, config maps and secrets are validated", "[api]") {
  const KindInfo& slices = kind("discovery.k8s.io/v1", "EndpointSlice");
  json slice = {{"metadata", {{"name", "s"}, {"namespace", "default"}}}};
  CHECK(createErrors(slices, slice) == std::vector<std::string>{"addressType: Required value"});
  slice["addressType"] = "IPv5";
  CHECK(createErrors(slices, slice) ==
        std::vector<std::string>{"addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""});
  slice["addressType"] = "IPv4";
  slice["endpoints"] = {{{"addresses", {"fe80::1"}}}};
  CHECK(createErrors(slices, slice) ==
        std::vector<std::string>{"endpoints[0].addresses[0]: Invalid value: \"fe80::1\": must be a valid IPv4 address"});

  json cm = {{"metadata", {{"name", "c"}, {"namespace", "default"}}}, {"data", {{"bad key", "v"}}}};
  auto errors = createErrors(kind("v1", "ConfigMap"), cm);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("data[bad key]: Invalid value: \"bad key\": a valid config key must consist", 0) == 0);

  json tls = {{"metadata", {{"name", "t"}, {"namespace", "default"}}}, {"type", "kubernetes.io/tls"}};
  CHECK(createErrors(kind("v1", "Secret"), tls) ==
        std::vector<std::string>{"data[tls.crt]: Required value", "data[tls.key]: Required value"});
}

TEST_CASE("validation survives JSON of the wrong shape", "[api]") {
  for (const auto& k : allKinds()) {
    for (const json& odd : {json(nullptr), json(3), json::array(), json{{"spec", "x"}, {"metadata", 7}},
                            json{{"spec", {{"containers", "x"}, {"ports", 3}, {"selector", 1}, {"template", 2}}}}}) {
      json object = odd;
      applyDefaults(k, object);
      CHECK_NOTHROW(validateObject(k, object, nullptr));
      CHECK_NOTHROW(validateObject(k, object, &odd));
    }
  }
}
