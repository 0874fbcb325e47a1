// netagent/proxy_rules.h — what the kernel should hold: the desired state of
// the service proxy as a set of virtual services with their backends, and
// the difference between two such states. Pure: no kernel, no clock.
//
// A virtual service is one Service port: ClusterIP x port x protocol (plus
// the node port, when the Service has one). Its key names it as kube-proxy
// names a ServicePortName: "namespace/name:portName/PROTOCOL".
//
// Which endpoints a virtual service gets (kube-proxy's rules):
//  - ready endpoints take new connections;
//  - serving endpoints that are terminating are "draining" while any ready
//    endpoint exists (IPVS keeps them at weight 0 so open connections
//    finish; nftables leaves them out), and take new connections when no
//    endpoint is ready (so a rolling restart does not black-hole traffic);
//  - endpoints that are neither are left out.
//
// Invariants: endpoints are sorted by (ip, port) and unique; a state maps
// each key to exactly one virtual service.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "netagent/service_views.h"

namespace minik::netagent {

struct Backend {
  uint32_t ip = 0;  // host byte order
  uint16_t port = 0;
  bool draining = false;  // keeps existing connections, takes no new ones

  bool operator==(const Backend& o) const {
    return ip == o.ip && port == o.port && draining == o.draining;
  }
  bool operator!=(const Backend& o) const { return !(*this == o); }
};

struct VirtualService {
  uint32_t clusterIp = 0;  // host byte order
  uint16_t port = 0;
  L4Protocol protocol = L4Protocol::Tcp;
  uint16_t nodePort = 0;         // 0: none
  uint32_t affinitySeconds = 0;  // ClientIP affinity timeout; 0: none
  std::vector<Backend> backends;

  // Backends that take new connections.
  size_t activeCount() const;
  bool operator==(const VirtualService& o) const {
    return clusterIp == o.clusterIp && port == o.port && protocol == o.protocol &&
           nodePort == o.nodePort && affinitySeconds == o.affinitySeconds && backends == o.backends;
  }
  bool operator!=(const VirtualService& o) const { return !(*this == o); }
};

using ProxyState = std::map<std::string, VirtualService>;

// "namespace/name:portName/PROTOCOL".
std::string virtualServiceKey(const std::string& ns, const std::string& name,
                              const std::string& portName, L4Protocol protocol);

// The virtual services of one Service given its EndpointSlices (all slices
// naming it; several may list the same endpoint: one backend results).
ProxyState virtualServicesOf(const ServiceView& service, const std::vector<const SliceView*>& slices);

// One key whose virtual service differs between two states.
struct ProxyChange {
  std::string key;
  std::optional<VirtualService> before;  // nothing: added
  std::optional<VirtualService> after;   // nothing: removed
};

// Only the keys that changed, in key order.
std::vector<ProxyChange> diffStates(const ProxyState& before, const ProxyState& after);

// Backend-level difference of one virtual service, for backends that can
// change a single real server (IPVS).
struct BackendDiff {
  std::vector<Backend> added;
  std::vector<Backend> removed;
  std::vector<Backend> updated;  // same ip:port, draining flipped (the new value)
};
BackendDiff diffBackends(const std::vector<Backend>& before, const std::vector<Backend>& after);

}  // namespace minik::netagent
