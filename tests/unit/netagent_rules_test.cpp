// The service proxy's desired state: Services and EndpointSlices become
// virtual services with the backends kube-proxy would pick, and two states
// differ only where something changed.
#include <catch2/catch.hpp>

#include "netagent/proxy_rules.h"
#include "netagent/service_views.h"

using namespace minik::netagent;
using minik::formatIpv4;
using minik::parseIpv4;
using nlohmann::json;

namespace {

json service(const std::string& ip, json ports, json extra = json::object()) {
  json s = {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"namespace", "default"}, {"name", "web"}}},
            {"spec", {{"type", "ClusterIP"}, {"clusterIP", ip}, {"ports", ports}}}};
  s["spec"].update(extra);
  return s;
}

json endpoint(const std::string& ip, json conditions) {
  return {{"addresses", {ip}}, {"conditions", conditions}};
}

json slice(json endpoints, json ports = json::array({{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}})) {
  return {{"apiVersion", "discovery.k8s.io/v1"},
          {"kind", "EndpointSlice"},
          {"metadata", {{"namespace", "default"}, {"name", "web-abcde"},
                        {"labels", {{"kubernetes.io/service-name", "web"}}}}},
          {"addressType", "IPv4"},
          {"ports", ports},
          {"endpoints", endpoints}};
}

uint32_t ip(const char* text) { return *parseIpv4(text); }

ProxyState stateOf(const json& svc, const std::vector<json>& slices) {
  auto view = serviceViewOf(svc);
  REQUIRE(view);
  std::vector<SliceView> views;
  for (const json& s : slices) views.push_back(*sliceViewOf(s));
  std::vector<const SliceView*> pointers;
  for (const SliceView& v : views) pointers.push_back(&v);
  return virtualServicesOf(*view, pointers);
}

const json kHttp = json::array({{{"name", "http"}, {"port", 80}, {"protocol", "TCP"}, {"targetPort", 8080}}});

}  // namespace

TEST_CASE("services the proxy does not program have no view") {
  CHECK_FALSE(serviceViewOf(service("None", kHttp)));
  CHECK_FALSE(serviceViewOf(service("", kHttp)));
  CHECK_FALSE(serviceViewOf(service("fd00::1", kHttp)));
  CHECK_FALSE(serviceViewOf(service("10.43.0.5", kHttp, {{"type", "ExternalName"}})));
  json noLabel = slice(json::array());
  noLabel["metadata"].erase("labels");
  CHECK_FALSE(sliceViewOf(noLabel));
  json v6 = slice(json::array());
  v6["addressType"] = "IPv6";
  CHECK_FALSE(sliceViewOf(v6));
}

TEST_CASE("a Service port maps to the slice port of the same name") {
  json ports = json::array({{{"name", "http"}, {"port", 80}, {"protocol", "TCP"}, {"nodePort", 30080}},
                            {{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}}});
  json slicePorts = json::array({{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}},
                                 {{"name", "dns"}, {"port", 5353}, {"protocol", "UDP"}}});
  ProxyState state = stateOf(service("10.43.0.20", ports),
                             {slice(json::array({endpoint("10.42.0.7", {{"ready", true}})}), slicePorts)});
  REQUIRE(state.size() == 2);
  const VirtualService& http = state.at("default/web:http/TCP");
  CHECK(http.clusterIp == ip("10.43.0.20"));
  CHECK(http.port == 80);
  CHECK(http.nodePort == 30080);
  REQUIRE(http.backends.size() == 1);
  CHECK(http.backends[0].port == 8080);
  const VirtualService& dns = state.at("default/web:dns/UDP");
  CHECK(dns.protocol == L4Protocol::Udp);
  REQUIRE(dns.backends.size() == 1);
  CHECK(dns.backends[0].port == 5353);
}

TEST_CASE("ready endpoints take traffic; terminating ones drain; not serving ones are left out") {
  ProxyState state = stateOf(
      service("10.43.0.20", kHttp),
      {slice(json::array({endpoint("10.42.0.3", {{"ready", true}}),
                          endpoint("10.42.0.2", json::object()),  // unset: ready
                          endpoint("10.42.0.4", {{"ready", false}, {"serving", true}, {"terminating", true}}),
                          endpoint("10.42.0.5", {{"ready", false}, {"serving", false}, {"terminating", true}}),
                          endpoint("10.42.0.6", {{"ready", false}})}))});
  const auto& backends = state.at("default/web:http/TCP").backends;
  REQUIRE(backends.size() == 3);
  CHECK(backends[0] == Backend{ip("10.42.0.2"), 8080, false});
  CHECK(backends[1] == Backend{ip("10.42.0.3"), 8080, false});
  CHECK(backends[2] == Backend{ip("10.42.0.4"), 8080, true});
  CHECK(state.at("default/web:http/TCP").activeCount() == 2);
}

TEST_CASE("with no ready endpoint, serving terminating endpoints take new connections") {
  ProxyState state = stateOf(
      service("10.43.0.20", kHttp),
      {slice(json::array({endpoint("10.42.0.4", {{"ready", false}, {"serving", true}, {"terminating", true}})}))});
  const auto& backends = state.at("default/web:http/TCP").backends;
  REQUIRE(backends.size() == 1);
  CHECK_FALSE(backends[0].draining);
}

TEST_CASE("an endpoint listed in two slices is one backend, ready winning") {
  json a = slice(json::array({endpoint("10.42.0.4", {{"ready", false}, {"serving", true}, {"terminating", true}})}));
  json b = slice(json::array({endpoint("10.42.0.4", {{"ready", true}}), endpoint("10.42.0.9", {{"ready", true}})}));
  b["metadata"]["name"] = "web-fghij";
  ProxyState state = stateOf(service("10.43.0.20", kHttp), {a, b});
  const auto& backends = state.at("default/web:http/TCP").backends;
  REQUIRE(backends.size() == 2);
  CHECK(backends[0] == Backend{ip("10.42.0.4"), 8080, false});
  CHECK(backends[1] == Backend{ip("10.42.0.9"), 8080, false});
}

TEST_CASE("ClientIP affinity carries its timeout, defaulting as the API does") {
  auto view = serviceViewOf(service("10.43.0.20", kHttp,
                                    {{"sessionAffinity", "ClientIP"},
                                     {"sessionAffinityConfig", {{"clientIP", {{"timeoutSeconds", 60}}}}}}));
  REQUIRE(view);
  CHECK(view->affinitySeconds == 60);
  view = serviceViewOf(service("10.43.0.20", kHttp, {{"sessionAffinity", "ClientIP"}}));
  CHECK(view->affinitySeconds == 10800);
  view = serviceViewOf(service("10.43.0.20", kHttp, {{"sessionAffinity", "None"}}));
  CHECK(view->affinitySeconds == 0);
}

TEST_CASE("a port without a matching slice port has no backends") {
  json other = json::array({{{"name", "metrics"}, {"port", 9090}, {"protocol", "TCP"}}});
  ProxyState state = stateOf(service("10.43.0.20", kHttp),
                             {slice(json::array({endpoint("10.42.0.2", {{"ready", true}})}), other)});
  CHECK(state.at("default/web:http/TCP").backends.empty());
}

TEST_CASE("the diff of two states names only what changed") {
  VirtualService a;
  a.clusterIp = ip("10.43.0.1");
  a.port = 80;
  a.backends = {{ip("10.42.0.2"), 8080, false}};
  VirtualService b = a;
  b.clusterIp = ip("10.43.0.2");
  ProxyState before = {{"ns/a:/TCP", a}, {"ns/b:/TCP", b}};
  ProxyState after = before;
  CHECK(diffStates(before, after).empty());

  after["ns/b:/TCP"].backends.push_back({ip("10.42.0.3"), 8080, false});
  after.erase("ns/a:/TCP");
  VirtualService c = a;
  c.clusterIp = ip("10.43.0.3");
  after["ns/c:/TCP"] = c;
  auto changes = diffStates(before, after);
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].key == "ns/a:/TCP");
  CHECK(changes[0].before);
  CHECK_FALSE(changes[0].after);
  CHECK(changes[1].key == "ns/b:/TCP");
  CHECK(changes[1].before->backends.size() == 1);
  CHECK(changes[1].after->backends.size() == 2);
  CHECK(changes[2].key == "ns/c:/TCP");
  CHECK_FALSE(changes[2].before);
}

TEST_CASE("the backend diff separates added, removed and drained backends") {
  std::vector<Backend> before = {{ip("10.42.0.2"), 80, false}, {ip("10.42.0.3"), 80, false}, {ip("10.42.0.4"), 80, false}};
  std::vector<Backend> after = {{ip("10.42.0.3"), 80, true}, {ip("10.42.0.4"), 80, false}, {ip("10.42.0.5"), 80, false}};
  BackendDiff d = diffBackends(before, after);
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].ip == ip("10.42.0.5"));
  REQUIRE(d.removed.size() == 1);
  CHECK(d.removed[0].ip == ip("10.42.0.2"));
  REQUIRE(d.updated.size() == 1);
  CHECK(d.updated[0] == Backend{ip("10.42.0.3"), 80, true});
}

TEST_CASE("CIDRs parse to their network and prefix") {
  auto cidr = parseIpv4Cidr("10.42.7.9/16");
  REQUIRE(cidr);
  CHECK(formatIpv4(cidr->first) == "10.42.0.0");
  CHECK(cidr->second == 16);
  CHECK_FALSE(parseIpv4Cidr("10.42.0.0"));
  CHECK_FALSE(parseIpv4Cidr("10.42.0.0/33"));
}

TEST_CASE("an SCTP Service port becomes an SCTP virtual service with its slice's SCTP port") {
  const json ports = json::array({{{"name", "sig"}, {"port", 9999}, {"protocol", "SCTP"}, {"targetPort", 9000}},
                                  {{"name", "http"}, {"port", 80}, {"protocol", "TCP"}, {"targetPort", 8080}}});
  const json slicePorts = json::array({{{"name", "sig"}, {"port", 9000}, {"protocol", "SCTP"}},
                                       {{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}});
  ProxyState state = stateOf(service("10.43.0.20", ports),
                             {slice(json::array({endpoint("10.42.0.2", {{"ready", true}})}), slicePorts)});
  REQUIRE(state.count("default/web:sig/SCTP") == 1);
  const VirtualService& vs = state.at("default/web:sig/SCTP");
  CHECK(vs.protocol == L4Protocol::Sctp);
  CHECK(vs.port == 9999);
  REQUIRE(vs.backends.size() == 1);
  CHECK(vs.backends[0].port == 9000);
  CHECK(state.count("default/web:http/TCP") == 1);
}
