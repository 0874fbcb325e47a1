// controllers/endpoints_subsets.h — the legacy v1 Endpoints of a Service,
// computed as Kubernetes' endpoints controller does (pure).
//
// Contract:
//  - A pod contributes one address (its first IPv4 address) per Service port
//    it resolves; ready pods (or all, with publishNotReadyAddresses) go to
//    addresses, the others to notReadyAddresses; terminating pods are left
//    out unless the Service publishes not-ready addresses.
//  - Subsets are repacked as RepackSubsets does: one subset per distinct set
//    of addresses, carrying every port those addresses serve; addresses
//    sorted by IP, ports by name, so equal inputs give equal JSON.
//  - More than 1000 addresses are truncated as Kubernetes does, and the
//    result says so (the over-capacity annotation).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "controllers/endpoint_views.h"

namespace minik {

inline constexpr const char* kSkipMirrorLabel = "endpointslice.kubernetes.io/skip-mirror";
inline constexpr const char* kOverCapacityAnnotation = "endpoints.kubernetes.io/over-capacity";

struct EndpointsContent {
  nlohmann::json subsets = nlohmann::json::array();
  bool overCapacity = false;
};

EndpointsContent desiredEndpoints(const ServiceView& service, const std::vector<const PodView*>& pods,
                                  size_t maxCapacity = 1000);

// The labels of a Service's Endpoints: the Service's, the headless label
// when it has no ClusterIP, and skip-mirror.
LabelMap endpointsLabels(const ServiceView& service);

}  // namespace minik
