// netagent/service_views.h — the little the service proxy keeps of Services
// and EndpointSlices (DESIGN.md "Memory": compact views, not JSON trees).
//
// Contract:
//  - serviceViewOf returns nothing for a Service the proxy does not program:
//    headless (clusterIP None), ExternalName, or without an IPv4 ClusterIP.
//  - sliceViewOf returns nothing for a slice that is not IPv4 or names no
//    Service (label kubernetes.io/service-name).
//  - Endpoint conditions follow the EndpointSlice API: ready unset means
//    ready, serving unset means "as ready", terminating unset means false.
//  - IPv4 addresses are kept in host byte order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/ipv4.h"

namespace minik::netagent {

// IP protocol numbers, as the kernel names them.
enum class L4Protocol : uint8_t { Tcp = 6, Udp = 17, Sctp = 132 };

std::optional<L4Protocol> l4ProtocolOf(const std::string& name);  // "TCP", "UDP", "SCTP"
const char* l4ProtocolName(L4Protocol protocol);                  // "TCP", ...

// "10.43.0.0/16" -> (address, prefix length).
std::optional<std::pair<uint32_t, int>> parseIpv4Cidr(const std::string& text);

struct ServicePortView {
  std::string name;
  uint16_t port = 0;
  L4Protocol protocol = L4Protocol::Tcp;
  uint16_t nodePort = 0;  // 0: none
};

struct ServiceView {
  std::string ns, name;
  uint32_t clusterIp = 0;
  std::vector<ServicePortView> ports;
  // sessionAffinity ClientIP: its timeout in seconds; 0 for None.
  uint32_t affinitySeconds = 0;
};

struct SlicePortView {
  std::string name;
  uint16_t port = 0;
  L4Protocol protocol = L4Protocol::Tcp;
};

struct SliceEndpointView {
  uint32_t ip = 0;
  bool ready = true;
  bool serving = true;
  bool terminating = false;
};

struct SliceView {
  std::string service;  // the Service's name, in the slice's namespace
  std::vector<SlicePortView> ports;
  std::vector<SliceEndpointView> endpoints;
};

std::optional<ServiceView> serviceViewOf(const nlohmann::json& service);
std::optional<SliceView> sliceViewOf(const nlohmann::json& slice);

}  // namespace minik::netagent
