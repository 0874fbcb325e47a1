#include "netagent/proxy_rules.h"

#include <algorithm>
#include <tuple>

namespace minik::netagent {

namespace {

bool sameAddress(const Backend& a, const Backend& b) { return a.ip == b.ip && a.port == b.port; }
bool addressLess(const Backend& a, const Backend& b) {
  return std::tie(a.ip, a.port) < std::tie(b.ip, b.port);
}

// The target port of a Service port in one slice, if the slice has it.
std::optional<uint16_t> targetPortIn(const SliceView& slice, const ServicePortView& port) {
  for (const SlicePortView& p : slice.ports) {
    if (p.name == port.name && p.protocol == port.protocol) return p.port;
  }
  return std::nullopt;
}

}  // namespace

size_t VirtualService::activeCount() const {
  return static_cast<size_t>(
      std::count_if(backends.begin(), backends.end(), [](const Backend& b) { return !b.draining; }));
}

std::string virtualServiceKey(const std::string& ns, const std::string& name,
                              const std::string& portName, L4Protocol protocol) {
  return ns + "/" + name + ":" + portName + "/" + l4ProtocolName(protocol);
}

ProxyState virtualServicesOf(const ServiceView& service, const std::vector<const SliceView*>& slices) {
  ProxyState state;
  for (const ServicePortView& port : service.ports) {
    VirtualService vs;
    vs.clusterIp = service.clusterIp;
    vs.port = port.port;
    vs.protocol = port.protocol;
    vs.nodePort = port.nodePort;
    vs.affinitySeconds = service.affinitySeconds;
    std::vector<Backend> ready, terminating;
    for (const SliceView* slice : slices) {
      auto target = targetPortIn(*slice, port);
      if (!target) continue;
      for (const SliceEndpointView& e : slice->endpoints) {
        if (e.ready) {
          ready.push_back({e.ip, *target, false});
        } else if (e.serving && e.terminating) {
          terminating.push_back({e.ip, *target, true});
        }
      }
    }
    // An address listed both ready and terminating (two slices in flux)
    // counts as ready.
    std::sort(ready.begin(), ready.end(), addressLess);
    ready.erase(std::unique(ready.begin(), ready.end(), sameAddress), ready.end());
    std::sort(terminating.begin(), terminating.end(), addressLess);
    terminating.erase(std::unique(terminating.begin(), terminating.end(), sameAddress), terminating.end());
    const bool fallback = ready.empty();
    std::vector<Backend> merged;
    std::merge(ready.begin(), ready.end(), terminating.begin(), terminating.end(),
               std::back_inserter(merged), addressLess);
    for (size_t i = 0; i < merged.size(); ++i) {
      if (i > 0 && sameAddress(merged[i], vs.backends.back())) continue;  // ready sorts first
      Backend b = merged[i];
      if (fallback) b.draining = false;
      vs.backends.push_back(b);
    }
    state.emplace(virtualServiceKey(service.ns, service.name, port.name, port.protocol), std::move(vs));
  }
  return state;
}

std::vector<ProxyChange> diffStates(const ProxyState& before, const ProxyState& after) {
  std::vector<ProxyChange> changes;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      changes.push_back({b->first, b->second, std::nullopt});
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      changes.push_back({a->first, std::nullopt, a->second});
      ++a;
    } else {
      if (b->second != a->second) changes.push_back({a->first, b->second, a->second});
      ++a;
      ++b;
    }
  }
  return changes;
}

BackendDiff diffBackends(const std::vector<Backend>& before, const std::vector<Backend>& after) {
  BackendDiff diff;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && addressLess(*b, *a))) {
      diff.removed.push_back(*b++);
    } else if (b == before.end() || addressLess(*a, *b)) {
      diff.added.push_back(*a++);
    } else {
      if (a->draining != b->draining) diff.updated.push_back(*a);
      ++a;
      ++b;
    }
  }
  return diff;
}

}  // namespace minik::netagent
