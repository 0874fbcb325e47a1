#include "controllers/endpoints_subsets.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "controllers/endpoint_slice_plan.h"

namespace minik {

using nlohmann::json;

namespace {

struct Address {
  std::string ip;
  json body;
};

// An Endpoints port, or the sentinel (port 0) for a headless Service
// without ports.
struct PortKey {
  std::string name;
  int port = 0;
  std::string protocol;
  std::string appProtocol;
  bool operator<(const PortKey& o) const {
    return std::tie(name, port, protocol, appProtocol) < std::tie(o.name, o.port, o.protocol, o.appProtocol);
  }
};

json portJson(const PortKey& p) {
  json out = {{"name", p.name}, {"port", p.port}, {"protocol", p.protocol}};
  if (!p.appProtocol.empty()) out["appProtocol"] = p.appProtocol;
  return out;
}

// Keeps the proportions of each subset when cutting to maxCapacity
// (Kubernetes' truncateEndpoints).
bool truncate(json& subsets, size_t maxCapacity) {
  size_t ready = 0, notReady = 0;
  for (const auto& s : subsets) {
    if (s.contains("addresses")) ready += s["addresses"].size();
    if (s.contains("notReadyAddresses")) notReady += s["notReadyAddresses"].size();
  }
  if (ready + notReady <= maxCapacity) return false;
  bool cutReady = ready > maxCapacity;
  size_t max = cutReady ? maxCapacity : maxCapacity - ready;
  size_t total = cutReady ? ready : notReady;
  size_t room = max;
  for (auto& s : subsets) {
    const char* list = cutReady ? "addresses" : "notReadyAddresses";
    size_t inSubset = s.contains(list) ? s[list].size() : 0;
    size_t take = static_cast<size_t>(std::ceil(static_cast<double>(inSubset) / total * max));
    take = std::min(take, room);
    if (s.contains(list)) {
      json kept = json::array();
      for (size_t i = 0; i < take && i < s[list].size(); ++i) kept.push_back(s[list][i]);
      s[list] = kept;
      if (kept.empty()) s.erase(list);
      room -= std::min(room, kept.size());
    }
    if (cutReady) s.erase("notReadyAddresses");
  }
  return true;
}

}  // namespace

LabelMap endpointsLabels(const ServiceView& service) {
  LabelMap labels = service.labels;
  if (service.headless) labels[kHeadlessLabel] = "";
  else labels.erase(kHeadlessLabel);
  labels[kSkipMirrorLabel] = "true";
  return labels;
}

EndpointsContent desiredEndpoints(const ServiceView& service, const std::vector<const PodView*>& pods,
                                  size_t maxCapacity) {
  // port -> address ip -> ready; addresses by ip.
  std::map<PortKey, std::map<std::string, bool>> byPort;
  std::map<std::string, json> addresses;
  for (const PodView* pod : pods) {
    if (!shouldBeEndpoint(*pod, service.publishNotReadyAddresses)) continue;
    const std::string& ip = pod->ipv4.front();
    json address = {{"ip", ip},
                    {"targetRef",
                     {{"kind", "Pod"}, {"namespace", pod->ns.str()}, {"name", pod->name}, {"uid", pod->uid.str()}}}};
    if (!pod->nodeName.empty()) address["nodeName"] = pod->nodeName.str();
    if (shouldSetHostname(*pod, service)) address["hostname"] = pod->hostname.str();
    bool ready = service.publishNotReadyAddresses || pod->ready;
    bool any = false;
    if (service.ports.empty()) {
      if (service.headless) {
        byPort[PortKey{}][ip] = ready;
        any = true;
      }
    } else {
      for (const auto& servicePort : service.ports) {
        std::optional<int> number = findPort(*pod, servicePort);
        if (!number) continue;
        byPort[PortKey{servicePort.name, *number, servicePort.protocol, servicePort.appProtocol}][ip] = ready;
        any = true;
      }
    }
    if (any) addresses[ip] = std::move(address);
  }

  // Ports that serve exactly the same addresses share a subset.
  std::map<std::map<std::string, bool>, std::vector<PortKey>> byAddressSet;
  for (const auto& [port, set] : byPort) byAddressSet[set].push_back(port);

  EndpointsContent out;
  std::vector<json> subsets;
  for (const auto& [set, ports] : byAddressSet) {
    json subset = json::object();
    json ready = json::array(), notReady = json::array();
    for (const auto& [ip, isReady] : set) (isReady ? ready : notReady).push_back(addresses[ip]);
    if (!ready.empty()) subset["addresses"] = ready;
    if (!notReady.empty()) subset["notReadyAddresses"] = notReady;
    json portList = json::array();
    for (const auto& port : ports) {
      if (port.port > 0) portList.push_back(portJson(port));
    }
    if (!portList.empty()) subset["ports"] = portList;
    subsets.push_back(std::move(subset));
  }
  // Addresses are sorted by ip (map order); order subsets by their first one.
  std::sort(subsets.begin(), subsets.end(), [](const json& a, const json& b) { return a.dump() < b.dump(); });
  for (auto& s : subsets) out.subsets.push_back(std::move(s));
  out.overCapacity = truncate(out.subsets, maxCapacity);
  return out;
}

}  // namespace minik
