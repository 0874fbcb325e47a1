// netagent/service_route.h — makes locally originated traffic to the
// service range reach the nat output hook in nftables mode: a route
// `local SERVICE_CIDR dev lo table local proto 77`, through libnl-route.
// (Without a route for the range, connect() fails before any hook runs;
// this machine's kernel has no dummy interface to carry the addresses.)
//
// A ClusterIP:port without a Service is then answered by the local stack
// (a TCP reset: "connection refused") instead of leaving through a default
// route. The route carries minik's protocol number, so removing it never
// touches a route someone else added.
#pragma once

#include <string>

namespace minik::netagent {

constexpr int kMinikRouteProtocol = 77;

// Adds or replaces the route; false with error set.
bool installServiceRoute(const std::string& serviceCidr, std::string* error);
// Removes it if present (only minik's).
bool removeServiceRoute(const std::string& serviceCidr, std::string* error);

}  // namespace minik::netagent
