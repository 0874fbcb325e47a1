// controllers/endpoint_views.h — the compact views of Services and Pods that
// the endpoint controllers keep in memory instead of whole objects
// (DESIGN.md, "Memory"): only the fields that decide endpoints.
//
// Contract: views are built from API objects as stored (defaults applied);
// a field missing or of the wrong type reads as its zero value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

struct PodView {
  std::string ns;
  std::string name;
  std::string uid;
  LabelMap labels;
  std::vector<std::string> ipv4;  // status.podIPs (or podIP) of the IPv4 family
  bool ready = false;        // condition Ready is True
  bool terminating = false;  // metadata.deletionTimestamp set
  bool terminal = false;     // phase Succeeded or Failed
  std::string nodeName;
  std::string hostname;
  std::string subdomain;
  // Named ports of the containers and sidecar init containers, the only
  // ones a Service's targetPort can refer to by name.
  std::vector<ContainerPortView> namedPorts;
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
