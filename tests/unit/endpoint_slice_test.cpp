// What the endpoint controllers compute, without a cluster: views of
// Services and Pods, ports resolved per pod (named targetPorts), readiness
// and terminating conditions, publishNotReadyAddresses, slices of at most
// 100 endpoints, minimal changes to existing slices, the placeholder slice,
// and the legacy Endpoints subsets.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "controllers/endpoint_slice_plan.h"
#include "controllers/endpoint_views.h"
#include "controllers/endpoints_subsets.h"

using namespace minik;
using nlohmann::json;

namespace {

json serviceJson(json ports = {{{"name", "http"}, {"port", 80}, {"protocol", "TCP"}, {"targetPort", 8080}}}) {
  return {{"metadata", {{"namespace", "dev"}, {"name", "ent"}, {"uid", "svc-uid"}, {"labels", {{"tier", "web"}}}}},
          {"spec", {{"clusterIP", "10.43.9.9"}, {"selector", {{"app", "enterprise"}}}, {"ports", ports}}}};
}

json podJson(const std::string& name, const std::string& ip, bool ready = true) {
  json pod = {{"metadata", {{"namespace", "dev"}, {"name", name}, {"uid", name + "-uid"}, {"labels", {{"app", "enterprise"}}}}},
              {"spec",
               {{"nodeName", "node1"},
                {"containers", {{{"name", "c"}, {"ports", {{{"name", "web"}, {"containerPort", 8080}, {"protocol", "TCP"}}}}}}}}},
              {"status", {{"phase", "Running"}, {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
  if (!ip.empty()) {
    pod["status"]["podIP"] = ip;
    pod["status"]["podIPs"] = {{{"ip", ip}}};
  }
  return pod;
}

std::vector<const PodView*> pointers(const std::vector<PodView>& pods) {
  std::vector<const PodView*> out;
  for (const auto& p : pods) out.push_back(&p);
  return out;
}

// Applies a plan to a list of slices, naming created ones new-0, new-1, ...
std::vector<SliceContent> applyPlan(std::vector<SliceContent> slices, const SlicePlan& plan) {
  std::vector<SliceContent> out;
  for (auto& s : slices) {
    bool removed = false;
    for (const auto& name : plan.remove) removed = removed || name == s.name;
    for (const auto& u : plan.update) if (u.name == s.name) s = u;
    if (!removed) out.push_back(s);
  }
  int n = 0;
  for (auto c : plan.create) {
    c.name = "new-" + std::to_string(n++);
    out.push_back(c);
  }
  return out;
}

size_t endpointCount(const std::vector<SliceContent>& slices) {
  size_t n = 0;
  for (const auto& s : slices) n += s.endpoints.size();
  return n;
}

}  // namespace

TEST_CASE("views keep what decides endpoints") {
  ServiceView svc = serviceViewOf(serviceJson());
  CHECK(svc.selector == LabelMap{{"app", "enterprise"}});
  CHECK(svc.ports.at(0).targetPort == 8080);
  CHECK_FALSE(svc.headless);
  PodView pod = podViewOf(podJson("p1", "10.42.0.5"));
  CHECK(pod.ipv4 == std::vector<std::string>{"10.42.0.5"});
  CHECK(pod.ready);
  CHECK(pod.namedPorts.size() == 1);
  CHECK(selects(svc, pod.labels));
  CHECK_FALSE(selects(svc, LabelMap{{"app", "other"}}));
  ServiceView noSelector = svc;
  noSelector.selector.clear();
  CHECK_FALSE(selects(noSelector, pod.labels));
}

TEST_CASE("ports resolve per pod; a pod lacking a named port gets a group without it") {
  ServiceView svc = serviceViewOf(serviceJson(
      {{{"name", "http"}, {"port", 80}, {"protocol", "TCP"}, {"targetPort", "web"}},
       {{"name", "metrics"}, {"port", 9090}, {"protocol", "TCP"}, {"targetPort", 9100}}}));
  json other = podJson("p2", "10.42.0.6");
  other["spec"]["containers"][0]["ports"] = {{{"name", "web"}, {"containerPort", 3000}, {"protocol", "TCP"}}};
  json lacking = podJson("p3", "10.42.0.7");
  lacking["spec"]["containers"][0].erase("ports");
  std::vector<PodView> pods = {podViewOf(podJson("p1", "10.42.0.5")), podViewOf(other), podViewOf(lacking)};
  auto groups = desiredEndpointGroups(svc, pointers(pods));
  REQUIRE(groups.size() == 3);
  std::map<int, std::string> byHttpPort;
  for (const auto& [key, group] : groups) {
    REQUIRE(group.endpoints.size() == 1);
    int http = 0;
    for (const auto& p : group.ports) if (p.name == "http") http = p.port;
    byHttpPort[http] = group.endpoints[0].podName;
    if (http == 0) CHECK(group.ports.size() == 1);  // only metrics
  }
  CHECK(byHttpPort[8080] == "p1");
  CHECK(byHttpPort[3000] == "p2");
  CHECK(byHttpPort[0] == "p3");
}

TEST_CASE("conditions: ready, serving, terminating, and publishNotReadyAddresses") {
  json terminating = podJson("gone", "10.42.0.8");
  terminating["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z";
  json finished = podJson("done", "10.42.0.9");
  finished["status"]["phase"] = "Succeeded";
  std::vector<PodView> pods = {podViewOf(podJson("up", "10.42.0.5")), podViewOf(podJson("down", "10.42.0.6", false)),
                               podViewOf(terminating), podViewOf(finished), podViewOf(podJson("noip", ""))};
  ServiceView svc = serviceViewOf(serviceJson());
  auto groups = desiredEndpointGroups(svc, pointers(pods));
  REQUIRE(groups.size() == 1);
  const auto& endpoints = groups.begin()->second.endpoints;
  REQUIRE(endpoints.size() == 3);
  std::map<std::string, const SliceEndpoint*> byName;
  for (const auto& e : endpoints) byName[e.podName] = &e;
  CHECK(byName["up"]->ready);
  CHECK(byName["up"]->serving);
  CHECK_FALSE(byName["down"]->ready);
  CHECK_FALSE(byName["down"]->serving);
  CHECK_FALSE(byName["gone"]->ready);
  CHECK(byName["gone"]->serving);
  CHECK(byName["gone"]->terminating);
  CHECK(byName["up"]->addresses == std::vector<std::string>{"10.42.0.5"});
  CHECK(byName["up"]->nodeName == "node1");

  svc.publishNotReadyAddresses = true;
  for (const auto& e : desiredEndpointGroups(svc, pointers(pods)).begin()->second.endpoints) CHECK(e.ready);
}

TEST_CASE("hostname is set when the pod's subdomain is the Service") {
  json pod = podJson("db-0", "10.42.0.5");
  pod["spec"]["hostname"] = "db-0";
  pod["spec"]["subdomain"] = "ent";
  std::vector<PodView> pods = {podViewOf(pod)};
  auto groups = desiredEndpointGroups(serviceViewOf(serviceJson()), pointers(pods));
  CHECK(groups.begin()->second.endpoints[0].hostname == "db-0");
}

TEST_CASE("a new Service gets slices of at most 100 endpoints, labelled and owned") {
  ServiceView svc = serviceViewOf(serviceJson());
  std::vector<PodView> pods;
  for (int i = 0; i < 250; ++i) {
    pods.push_back(podViewOf(podJson("p" + std::to_string(i), "10.42." + std::to_string(i / 200) + "." + std::to_string(i % 200 + 1))));
  }
  SlicePlan plan = planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), {});
  REQUIRE(plan.create.size() == 3);
  CHECK(plan.create[0].endpoints.size() == 100);
  CHECK(plan.create[1].endpoints.size() == 100);
  CHECK(plan.create[2].endpoints.size() == 50);
  CHECK(plan.update.empty());
  CHECK(plan.remove.empty());
  json object = newSliceObject(svc, plan.create[0]);
  CHECK(object["metadata"]["generateName"] == "ent-");
  CHECK(object["metadata"]["labels"] == json{{"kubernetes.io/service-name", "ent"},
                                             {"endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"},
                                             {"tier", "web"}});
  CHECK(object["metadata"]["ownerReferences"][0] == json{{"apiVersion", "v1"}, {"kind", "Service"}, {"name", "ent"},
                                                         {"uid", "svc-uid"}, {"controller", true},
                                                         {"blockOwnerDeletion", true}});
  CHECK(object["addressType"] == "IPv4");
  CHECK(object["ports"] == json::parse(R"([{"name":"http","port":8080,"protocol":"TCP"}])"));
  CHECK(object["endpoints"][0]["targetRef"] ==
        json{{"kind", "Pod"}, {"namespace", "dev"}, {"name", "p0"}, {"uid", "p0-uid"}});
  CHECK(object["endpoints"][0]["conditions"] == json{{"ready", true}, {"serving", true}, {"terminating", false}});
}

TEST_CASE("existing slices change as little as possible") {
  ServiceView svc = serviceViewOf(serviceJson());
  std::vector<PodView> pods;
  for (int i = 0; i < 150; ++i) pods.push_back(podViewOf(podJson("p" + std::to_string(i), "10.42.1." + std::to_string(i + 1))));
  auto slices = applyPlan({}, planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), {}));
  slices[0].name = "ent-aaaaa";
  slices[1].name = "ent-bbbbb";

  SECTION("nothing changed: nothing written") {
    CHECK(planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), slices).empty());
  }
  SECTION("one pod turns unready: only its slice is rewritten, in place") {
    pods[120] = podViewOf(podJson("p120", "10.42.1.121", false));
    SlicePlan plan = planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), slices);
    REQUIRE(plan.update.size() == 1);
    CHECK(plan.create.empty());
    CHECK(plan.remove.empty());
    CHECK(plan.update[0].name == "ent-bbbbb");
    CHECK(plan.update[0].endpoints.size() == 50);
    CHECK_FALSE(plan.update[0].endpoints[20].ready);
    CHECK(plan.update[0].endpoints[20].podName == "p120");
  }
  SECTION("a pod goes and one comes: the new one takes the free place") {
    pods.erase(pods.begin() + 3);
    pods.push_back(podViewOf(podJson("late", "10.42.2.1")));
    SlicePlan plan = planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), slices);
    REQUIRE(plan.update.size() == 1);
    CHECK(plan.create.empty());
    CHECK(plan.update[0].name == "ent-aaaaa");
    CHECK(plan.update[0].endpoints.size() == 100);
    CHECK(plan.update[0].endpoints.back().podName == "late");
  }
  SECTION("the Service's labels change: slices are relabelled") {
    svc.labels["tier"] = "api";
    SlicePlan plan = planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), slices);
    CHECK(plan.update.size() == 2);
    CHECK(plan.update[0].labels.at("tier") == "api");
  }
  SECTION("all pods go: one empty placeholder remains, reusing a name") {
    SlicePlan plan = planSlices(svc, desiredEndpointGroups(svc, {}), slices);
    CHECK(plan.create.empty());
    REQUIRE(plan.update.size() == 1);
    CHECK(plan.update[0].endpoints.empty());
    CHECK(plan.update[0].ports.empty());
    REQUIRE(plan.remove.size() == 1);
    auto after = applyPlan(slices, plan);
    REQUIRE(after.size() == 1);
    CHECK(planSlices(svc, desiredEndpointGroups(svc, {}), after).empty());  // the placeholder is kept
  }
  SECTION("a slice of another Service with the same name goes") {
    slices[1].ownerUid = "old-uid";
    SlicePlan plan = planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), slices);
    CHECK(plan.remove == std::vector<std::string>{"ent-bbbbb"});
    CHECK(endpointCount(applyPlan(slices, plan)) == 150);
  }
}

TEST_CASE("a Service with no pods gets one placeholder slice") {
  ServiceView svc = serviceViewOf(serviceJson());
  SlicePlan plan = planSlices(svc, {}, {});
  REQUIRE(plan.create.size() == 1);
  json object = newSliceObject(svc, plan.create[0]);
  CHECK(object["endpoints"].is_null());
  CHECK(object["ports"].is_null());
  svc.deleting = true;
  CHECK(planSlices(svc, {}, {}).create.empty());
}

TEST_CASE("slices read back from JSON plan no change") {
  ServiceView svc = serviceViewOf(serviceJson());
  std::vector<PodView> pods = {podViewOf(podJson("p1", "10.42.0.5"))};
  SlicePlan plan = planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), {});
  json object = newSliceObject(svc, plan.create[0]);
  object["metadata"]["name"] = "ent-x1y2z";
  CHECK(planSlices(svc, desiredEndpointGroups(svc, pointers(pods)), {sliceContentOf(object)}).empty());
}

TEST_CASE("legacy Endpoints: ready and not-ready addresses, ports, labels") {
  ServiceView svc = serviceViewOf(serviceJson());
  json terminating = podJson("gone", "10.42.0.8");
  terminating["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z";
  std::vector<PodView> pods = {podViewOf(podJson("b", "10.42.0.6")), podViewOf(podJson("a", "10.42.0.5")),
                               podViewOf(podJson("c", "10.42.0.7", false)), podViewOf(terminating)};
  EndpointsContent content = desiredEndpoints(svc, pointers(pods));
  REQUIRE(content.subsets.size() == 1);
  const json& subset = content.subsets[0];
  REQUIRE(subset["addresses"].size() == 2);
  CHECK(subset["addresses"][0]["ip"] == "10.42.0.5");
  CHECK(subset["addresses"][0]["nodeName"] == "node1");
  CHECK(subset["addresses"][0]["targetRef"] == json{{"kind", "Pod"}, {"namespace", "dev"}, {"name", "a"}, {"uid", "a-uid"}});
  CHECK(subset["addresses"][1]["ip"] == "10.42.0.6");
  REQUIRE(subset["notReadyAddresses"].size() == 1);
  CHECK(subset["notReadyAddresses"][0]["ip"] == "10.42.0.7");
  CHECK(subset["ports"] == json::parse(R"([{"name":"http","port":8080,"protocol":"TCP"}])"));
  CHECK_FALSE(content.overCapacity);
  CHECK(endpointsLabels(svc) == LabelMap{{"tier", "web"}, {"endpointslice.kubernetes.io/skip-mirror", "true"}});

  svc.publishNotReadyAddresses = true;
  content = desiredEndpoints(svc, pointers(pods));
  CHECK(content.subsets[0]["addresses"].size() == 4);
  CHECK_FALSE(content.subsets[0].contains("notReadyAddresses"));
}

TEST_CASE("legacy Endpoints: more than 1000 addresses are truncated") {
  ServiceView svc = serviceViewOf(serviceJson());
  std::vector<PodView> pods;
  for (int i = 0; i < 1200; ++i) {
    pods.push_back(podViewOf(podJson("p" + std::to_string(i), "10.42." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1))));
  }
  EndpointsContent content = desiredEndpoints(svc, pointers(pods));
  CHECK(content.overCapacity);
  CHECK(content.subsets[0]["addresses"].size() == 1000);
}
