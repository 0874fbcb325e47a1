// controllers/endpoint_views.h — the compact views of Services and Pods that
// the endpoint controllers keep in memory instead of whole objects
// (DESIGN.md, "Memory"): only the fields that decide endpoints.
//
// Contract: views are built from API objects as stored (defaults applied);
// a field missing or of the wrong type reads as its zero value.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "controllers/interned_string.h"
#include "controllers/label_set.h"
#include "controllers/uid.h"

namespace minik {

using LabelMap = std::map<std::string, std::string>;

struct ServicePortView {
  std::string name;
  std::string protocol;
  int port = 0;
  int targetPort = 0;           // when the targetPort is a number
  std::string targetPortName;   // when it names a container port
  std::string appProtocol;      // "" when unset
  bool operator==(const ServicePortView& o) const;
};

struct ServiceView {
  std::string ns;
  std::string name;
  std::string uid;
  LabelMap labels;
  LabelMap selector;      // empty: the Service has no selector
  std::vector<ServicePortView> ports;
  bool headless = false;  // spec.clusterIP None (or unset)
  bool externalName = false;
  bool publishNotReadyAddresses = false;
  bool deleting = false;  // metadata.deletionTimestamp set
  bool operator==(const ServiceView& o) const;
};

struct ContainerPortView {
  std::string name;
  std::string protocol;
  int port = 0;
  bool operator==(const ContainerPortView& o) const;
};

// The named ports of a pod, interned: the pods of one template share them.
class NamedPorts {
 public:
  NamedPorts() = default;
  NamedPorts(std::vector<ContainerPortView> ports);  // NOLINT: implicit
  const std::vector<ContainerPortView>& list() const { return ports_ ? *ports_ : none(); }
  std::vector<ContainerPortView>::const_iterator begin() const { return list().begin(); }
  std::vector<ContainerPortView>::const_iterator end() const { return list().end(); }
  size_t size() const { return list().size(); }
  bool operator==(const NamedPorts& o) const { return ports_ == o.ports_ || list() == o.list(); }

 private:
  static const std::vector<ContainerPortView>& none();
  std::shared_ptr<const std::vector<ContainerPortView>> ports_;  // null: none
};

// Fields that many pods repeat (namespace, labels, node, ports of one
// template) are interned, held once (interned.h).
struct PodView {
  InternedString ns;
  std::string name;
  Uid uid;
  LabelSet labels;  // shared with the other pods of its ReplicaSet
  std::vector<std::string> ipv4;  // status.podIPs (or podIP) of the IPv4 family
  bool ready = false;        // condition Ready is True
  bool terminating = false;  // metadata.deletionTimestamp set
  bool terminal = false;     // phase Succeeded or Failed
  InternedString nodeName;
  InternedString hostname;
  InternedString subdomain;
  // Named ports of the containers and sidecar init containers, the only
  // ones a Service's targetPort can refer to by name.
  NamedPorts namedPorts;
  bool operator==(const PodView& o) const;
};

ServiceView serviceViewOf(const nlohmann::json& service);
PodView podViewOf(const nlohmann::json& pod);

// Does the Service's selector pick a Pod with these labels? (A Service
// without selector picks none.)
bool selects(const ServiceView& service, const LabelMap& podLabels);

// The port of pod that a Service port targets (Kubernetes' FindPort): the
// number, or the named container port of the same protocol; nullopt when the
// pod has no such port.
std::optional<int> findPort(const PodView& pod, const ServicePortView& port);

// Kubernetes' ShouldPodBeInEndpoints: not terminal, has an address, and not
// terminating unless includeTerminating.
bool shouldBeEndpoint(const PodView& pod, bool includeTerminating);

// Kubernetes' ShouldSetHostname: the pod names this Service as its subdomain.
bool shouldSetHostname(const PodView& pod, const ServiceView& service);

}  // namespace minik
