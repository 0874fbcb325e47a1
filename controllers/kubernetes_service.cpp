#include "controllers/kubernetes_service.h"

#include <cstdio>
#include <cstdlib>

#include "controllers/endpoint_slice_plan.h"
#include "controllers/endpoints_subsets.h"

namespace minik {

using nlohmann::json;

namespace {

const char* kName = "kubernetes";
const char* kNamespace = "default";

int apiPortOf(const ClusterConfig& config) {
  size_t colon = config.apiAddress.rfind(':');
  int port = colon == std::string::npos ? 0 : std::atoi(config.apiAddress.c_str() + colon + 1);
  return port > 0 ? port : 6443;
}

// Where pods can reach the API: the address it listens on, the node's when
// it listens on every address; "" when it listens on loopback only (no pod
// can reach that, and an endpoint must list where the API really listens).
std::string apiEndpointAddress(const ClusterConfig& config) {
  size_t colon = config.apiAddress.rfind(':');
  std::string host = colon == std::string::npos ? config.apiAddress : config.apiAddress.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "0.0.0.0" || host == "::") return config.nodeIp;
  if (host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1") return "";
  return host;
}

bool report(const char* what, const ClientResult& result) {
  if (result.ok()) return true;
  std::fprintf(stderr, "minik: cannot %s: %s\n", what, result.error->status.value("message", "").c_str());
  return false;
}

// Creates desired, or replaces the given fields of the stored object when
// they differ.
bool ensure(ClusterClient& client, const KindInfo& kind, const json& desired,
            const std::vector<std::string>& fields, const char* what) {
  ClientResult current = client.get(kind, kNamespace, kName);
  if (current.code() == 404) return report(what, client.create(kind, kNamespace, desired));
  if (!current.ok()) return report(what, current);
  json next = current.object;
  for (const auto& field : fields) {
    if (field == "labels") next["metadata"]["labels"] = desired["metadata"]["labels"];
    else if (desired.contains(field)) next[field] = desired[field];
    else next.erase(field);
  }
  if (next == current.object) return true;
  return report(what, client.update(kind, kNamespace, kName, next));
}

}  // namespace

bool ensureKubernetesService(ClusterClient& client, const ClusterConfig& config,
                             const std::string& clusterIp) {
  const int apiPort = apiPortOf(config);
  const json port = {{"name", "https"}, {"port", apiPort}, {"protocol", "TCP"}};

  json service = {{"apiVersion", "v1"},
                  {"kind", "Service"},
                  {"metadata",
                   {{"name", kName},
                    {"namespace", kNamespace},
                    {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
                  {"spec",
                   {{"type", "ClusterIP"},
                    {"clusterIP", clusterIp},
                    {"sessionAffinity", "None"},
                    {"ports",
                     {{{"name", "https"}, {"port", 443}, {"protocol", "TCP"}, {"targetPort", apiPort}}}}}}};
  const KindInfo& services = kindOf("", "services");
  bool ok = true;
  ClientResult current = client.get(services, kNamespace, kName);
  if (current.code() == 404) {
    ok = report("create the kubernetes Service", client.create(services, kNamespace, service)) && ok;
  } else if (current.ok()) {
    // As the master reconciler, only the ports and the type are corrected.
    json next = current.object;
    next["spec"]["ports"] = service["spec"]["ports"];
    next["spec"]["type"] = "ClusterIP";
    if (next != current.object) {
      ok = report("update the kubernetes Service", client.update(services, kNamespace, kName, next)) && ok;
    }
  }

  const std::string address = apiEndpointAddress(config);
  static bool saidLoopback = false;
  if (address.empty() && !saidLoopback) {
    saidLoopback = true;
    std::fprintf(stderr,
                 "minik: the kubernetes Service has no endpoints: the API listens on %s only, which pods cannot "
                 "reach (it opens to them with TLS and authentication)\n",
                 config.apiAddress.c_str());
  }
  json endpoints = {{"apiVersion", "v1"},
                    {"kind", "Endpoints"},
                    {"metadata",
                     {{"name", kName}, {"namespace", kNamespace}, {"labels", {{kSkipMirrorLabel, "true"}}}}}};
  // No address, no subsets (Kubernetes omits an empty list).
  if (!address.empty()) endpoints["subsets"] = {{{"addresses", {{{"ip", address}}}}, {"ports", {port}}}};
  ok = ensure(client, kindOf("", "endpoints"), endpoints, {"subsets", "labels"},
              "write the kubernetes Endpoints") && ok;

  json slice = {{"apiVersion", "discovery.k8s.io/v1"},
                {"kind", "EndpointSlice"},
                {"metadata",
                 {{"name", kName}, {"namespace", kNamespace}, {"labels", {{kServiceNameLabel, kName}}}}},
                {"addressType", "IPv4"},
                {"endpoints", json::array()},
                {"ports", {port}}};
  if (!address.empty()) slice["endpoints"].push_back({{"addresses", {address}}, {"conditions", {{"ready", true}}}});
  ok = ensure(client, kindOf("discovery.k8s.io", "endpointslices"), slice, {"endpoints", "ports", "labels"},
              "write the kubernetes EndpointSlice") && ok;
  return ok;
}

}  // namespace minik
