// controllers/endpoint_slice_plan.h — what the EndpointSlices of one Service
// should hold, and the fewest writes that get them there (Kubernetes'
// endpointslice Reconciler, pure: no client, no clock).
//
// Contract, as Kubernetes' reconciler:
//  - Pods become endpoints when they have an IPv4 address and are not
//    terminal; terminating pods stay, with ready=false (unless the Service
//    publishes not-ready addresses, which makes every endpoint ready).
//  - Endpoints are grouped by their resolved port list (a pod lacking a
//    named targetPort gets a group without that port); each group fills
//    slices of at most maxEndpointsPerSlice.
//  - Existing slices keep their names and their endpoints' places: an
//    endpoint changes only when its content changed, a slice is written only
//    when its endpoints or labels changed, emptied slices are reused for new
//    groups before new slices are created, and a Service with no endpoints
//    keeps exactly one empty placeholder slice.
//  - Slices not owned by the Service (another uid) are deleted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "controllers/endpoint_views.h"

namespace minik {

inline constexpr const char* kServiceNameLabel = "kubernetes.io/service-name";
inline constexpr const char* kManagedByLabel = "endpointslice.kubernetes.io/managed-by";
inline constexpr const char* kSliceControllerName = "endpointslice-controller.k8s.io";
inline constexpr const char* kHeadlessLabel = "service.kubernetes.io/headless";

struct SlicePort {
  std::string name;
  std::string protocol;
  int port = 0;
  std::string appProtocol;
  bool operator==(const SlicePort& o) const;
};

struct SliceEndpoint {
  std::vector<std::string> addresses;
  bool ready = false;
  bool serving = false;
  bool terminating = false;
  std::string podNamespace;  // targetRef
  std::string podName;
  std::string podUid;
  std::string nodeName;
  std::string hostname;
  std::string zone;  // kept as found; minik sets none

  // Kubernetes' endpoint hash: addresses, hostname, target namespace/name.
  std::string identity() const;
  // Kubernetes' EndpointsEqualBeyondHash: the rest of the content.
  bool sameBeyondIdentity(const SliceEndpoint& o) const;
};

// One EndpointSlice as the plan sees it.
struct SliceContent {
  std::string name;      // "" for a slice to create
  std::string ownerUid;  // uid of its controlling v1 Service reference
  std::string addressType = "IPv4";
  std::vector<SlicePort> ports;
  std::vector<SliceEndpoint> endpoints;
  LabelMap labels;
};

struct EndpointGroup {
  std::vector<SlicePort> ports;
  std::vector<SliceEndpoint> endpoints;
};

// Desired endpoints by port-list key, from the pods the Service selects (in
// the order given).
std::map<std::string, EndpointGroup> desiredEndpointGroups(const ServiceView& service,
                                                           const std::vector<const PodView*>& pods);
std::string portsKey(const std::vector<SlicePort>& ports);

// The labels a slice of this Service carries: the Service's own labels, the
// headless label when it has no ClusterIP, service-name and managed-by.
LabelMap sliceLabels(const ServiceView& service);

struct SlicePlan {
  std::vector<SliceContent> create;
  std::vector<SliceContent> update;  // complete new content, by name
  std::vector<std::string> remove;
  bool empty() const { return create.empty() && update.empty() && remove.empty(); }
};

SlicePlan planSlices(const ServiceView& service, const std::map<std::string, EndpointGroup>& desired,
                     const std::vector<SliceContent>& existing, size_t maxEndpointsPerSlice = 100);

// JSON forms, as discovery.k8s.io/v1 writes them.
SliceContent sliceContentOf(const nlohmann::json& slice);
nlohmann::json endpointsJson(const std::vector<SliceEndpoint>& endpoints);
nlohmann::json portsJson(const std::vector<SlicePort>& ports);
// A new slice object for create: generateName "<service>-", the controller
// ownerReference to the Service, labels, addressType, ports, endpoints.
nlohmann::json newSliceObject(const ServiceView& service, const SliceContent& content);

}  // namespace minik
