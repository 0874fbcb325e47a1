// controllers/kubernetes_service.h — the `kubernetes` Service in `default`
// and its Endpoints and EndpointSlice, pointing at this API server, as
// kube-apiserver's master endpoint reconciler keeps them.
//
// Contract: ensureKubernetesService() creates what is missing and corrects
// what differs (ports after the API port changed, the node address); when
// everything is right it writes nothing. The Service asks for the first
// address of the service CIDR (10.43.0.1); ports: https 443/TCP -> the API
// port; labels component=apiserver, provider=kubernetes; no selector, so
// the EndpointSlice controller leaves it alone. The endpoints list where the
// API really listens (the node's address when it listens on every
// address); none while it listens on loopback only, which pods cannot reach.
#pragma once

#include <string>

#include "api/cluster_config.h"
#include "client/cluster_client.h"

namespace minik {

// Returns false (and says why on stderr) when a write failed.
bool ensureKubernetesService(ClusterClient& client, const ClusterConfig& config,
                             const std::string& clusterIp);

}  // namespace minik
