#include "netagent/service_views.h"

namespace minik::netagent {

namespace {

using json = nlohmann::json;

std::string textAt(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

int intAt(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

std::optional<bool> boolAt(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

const json& member(const json& object, const char* key) {
  static const json empty = json::object();
  if (!object.is_object()) return empty;
  auto it = object.find(key);
  return it != object.end() ? *it : empty;
}

// Protocol unset means TCP, as the API defaults it.
L4Protocol protocolAt(const json& port) {
  std::string name = textAt(port, "protocol");
  if (name.empty()) return L4Protocol::Tcp;
  return l4ProtocolOf(name).value_or(L4Protocol::Tcp);
}

}  // namespace

std::optional<L4Protocol> l4ProtocolOf(const std::string& name) {
  if (name == "TCP") return L4Protocol::Tcp;
  if (name == "UDP") return L4Protocol::Udp;
  if (name == "SCTP") return L4Protocol::Sctp;
  return std::nullopt;
}

const char* l4ProtocolName(L4Protocol protocol) {
  switch (protocol) {
    case L4Protocol::Tcp: return "TCP";
    case L4Protocol::Udp: return "UDP";
    case L4Protocol::Sctp: return "SCTP";
  }
  return "?";
}

std::optional<std::pair<uint32_t, int>> parseIpv4Cidr(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto address = parseIpv4(text.substr(0, slash));
  const std::string bits = text.substr(slash + 1);
  if (!address || bits.empty() || bits.size() > 2 ||
      bits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  int prefix = std::stoi(bits);
  if (prefix > 32) return std::nullopt;
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return std::make_pair(*address & mask, prefix);
}

std::optional<ServiceView> serviceViewOf(const json& service) {
  const json& metadata = member(service, "metadata");
  const json& spec = member(service, "spec");
  if (textAt(spec, "type") == "ExternalName") return std::nullopt;
  auto clusterIp = parseIpv4(textAt(spec, "clusterIP"));
  if (!clusterIp) return std::nullopt;  // headless, unallocated or IPv6
  ServiceView view;
  view.ns = textAt(metadata, "namespace");
  view.name = textAt(metadata, "name");
  view.clusterIp = *clusterIp;
  const json& ports = member(spec, "ports");
  if (ports.is_array()) {
    for (const json& port : ports) {
      ServicePortView p;
      p.name = textAt(port, "name");
      p.port = static_cast<uint16_t>(intAt(port, "port"));
      p.protocol = protocolAt(port);
      p.nodePort = static_cast<uint16_t>(intAt(port, "nodePort"));
      if (p.port != 0) view.ports.push_back(std::move(p));
    }
  }
  if (textAt(spec, "sessionAffinity") == "ClientIP") {
    int timeout = intAt(member(member(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds");
    view.affinitySeconds = timeout > 0 ? static_cast<uint32_t>(timeout) : 10800;  // API default
  }
  return view;
}

std::optional<SliceView> sliceViewOf(const json& slice) {
  if (textAt(slice, "addressType") != "IPv4") return std::nullopt;
  SliceView view;
  view.service = textAt(member(member(slice, "metadata"), "labels"), "kubernetes.io/service-name");
  if (view.service.empty()) return std::nullopt;
  const json& ports = member(slice, "ports");
  if (ports.is_array()) {
    for (const json& port : ports) {
      int number = intAt(port, "port");
      if (number <= 0 || number > 65535) continue;
      view.ports.push_back({textAt(port, "name"), static_cast<uint16_t>(number), protocolAt(port)});
    }
  }
  const json& endpoints = member(slice, "endpoints");
  if (endpoints.is_array()) {
    for (const json& item : endpoints) {
      const json& addresses = member(item, "addresses");
      if (!addresses.is_array() || addresses.empty() || !addresses[0].is_string()) continue;
      auto ip = parseIpv4(addresses[0].get<std::string>());
      if (!ip) continue;
      const json& conditions = member(item, "conditions");
      SliceEndpointView e;
      e.ip = *ip;
      e.ready = boolAt(conditions, "ready").value_or(true);
      e.serving = boolAt(conditions, "serving").value_or(e.ready);
      e.terminating = boolAt(conditions, "terminating").value_or(false);
      view.endpoints.push_back(e);
    }
  }
  return view;
}

}  // namespace minik::netagent
