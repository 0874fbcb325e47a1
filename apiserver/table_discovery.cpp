// Tables of the discovery.k8s.io group: EndpointSlice (printers.go's
// printEndpointSlice).
#include "apiserver/table_kinds.h"

namespace minik {

using nlohmann::json;

namespace {

// formatDiscoveryPorts: each port's number, else its name, else "*" (a port
// with neither means all ports).
std::string slicePorts(const json& slice) {
  std::vector<std::string> ports;
  const json& list = field(slice, {"ports"});
  if (list.is_array()) {
    for (const auto& port : list) {
      if (field(port, {"port"}).is_number()) {
        ports.push_back(std::to_string(integerAt(port, {"port"})));
      } else if (field(port, {"name"}).is_string()) {
        ports.push_back(textAt(port, {"name"}));
      } else {
        ports.push_back("*");
      }
    }
  }
  return listWithMore(ports, 3);
}

// formatDiscoveryEndpoints: every address of every endpoint, ready or not.
std::string sliceEndpoints(const json& slice) {
  std::vector<std::string> addresses;
  const json& endpoints = field(slice, {"endpoints"});
  if (endpoints.is_array()) {
    for (const auto& endpoint : endpoints) {
      const json& list = field(endpoint, {"addresses"});
      if (!list.is_array()) continue;
      for (const auto& address : list) {
        addresses.push_back(address.is_string() ? address.get<std::string>() : "");
      }
    }
  }
  return listWithMore(addresses, 3);
}

json endpointSliceCells(const json& slice, std::time_t now) {
  return json::array({textAt(slice, {"metadata", "name"}), textAt(slice, {"addressType"}),
                      slicePorts(slice), sliceEndpoints(slice), ageOf(slice, now)});
}

}  // namespace

std::vector<KindTable> discoveryTables() {
  return {
      {"discovery.k8s.io",
       "EndpointSlice",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"AddressType", "string", "",
            "addressType specifies the type of address carried by this EndpointSlice. All "
            "addresses in this slice must be the same type. This field is immutable after "
            "creation. The following address types are currently supported: * IPv4: Represents "
            "an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully "
            "Qualified Domain Name.",
            0},
           {"Ports", "string", "",
            "ports specifies the list of network ports exposed by each endpoint in this slice. "
            "Each port must have a unique name. When ports is empty, it indicates that there are "
            "no defined ports. When a port is defined with a nil port value, it indicates \"all "
            "ports\". Each slice may include a maximum of 100 ports.",
            0},
           {"Endpoints", "string", "",
            "endpoints is a list of unique endpoints in this slice. Each slice may include a "
            "maximum of 1000 endpoints.",
            0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
       },
       endpointSliceCells},
  };
}

}  // namespace minik
