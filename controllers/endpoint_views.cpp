#include "controllers/endpoint_views.h"

#include <arpa/inet.h>

#include "controllers/interned.h"

namespace minik {

using nlohmann::json;

namespace {

const json& at(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string text(const json& object, const char* key) {
  const json& v = at(object, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

int number(const json& object, const char* key) {
  const json& v = at(object, key);
  return v.is_number_integer() ? v.get<int>() : 0;
}

LabelMap stringMap(const json& object) {
  LabelMap out;
  if (!object.is_object()) return out;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

bool isIpv4(const std::string& address) {
  in_addr parsed;
  return inet_pton(AF_INET, address.c_str(), &parsed) == 1;
}

void addNamedPorts(const json& containers, bool sidecarsOnly, std::vector<ContainerPortView>& out) {
  if (!containers.is_array()) return;
  for (const auto& container : containers) {
    if (sidecarsOnly && text(container, "restartPolicy") != "Always") continue;
    const json& ports = at(container, "ports");
    if (!ports.is_array()) continue;
    for (const auto& port : ports) {
      std::string name = text(port, "name");
      if (name.empty()) continue;
      std::string protocol = text(port, "protocol");
      out.push_back({name, protocol.empty() ? "TCP" : protocol, number(port, "containerPort")});
    }
  }
}

}  // namespace

bool ServicePortView::operator==(const ServicePortView& o) const {
  return name == o.name && protocol == o.protocol && port == o.port && targetPort == o.targetPort &&
         targetPortName == o.targetPortName && appProtocol == o.appProtocol;
}

bool ServiceView::operator==(const ServiceView& o) const {
  return ns == o.ns && name == o.name && uid == o.uid && labels == o.labels && selector == o.selector &&
         ports == o.ports && headless == o.headless && externalName == o.externalName &&
         publishNotReadyAddresses == o.publishNotReadyAddresses && deleting == o.deleting;
}

bool ContainerPortView::operator==(const ContainerPortView& o) const {
  return name == o.name && protocol == o.protocol && port == o.port;
}

namespace {

struct PortsHash {
  size_t operator()(const std::vector<ContainerPortView>& ports) const {
    size_t h = ports.size();
    for (const auto& p : ports) h = (h * 1000003u ^ std::hash<std::string>()(p.name)) * 31 + p.port;
    return h;
  }
};

}  // namespace

NamedPorts::NamedPorts(std::vector<ContainerPortView> ports) {
  if (!ports.empty()) ports_ = intern<std::vector<ContainerPortView>, PortsHash>(std::move(ports));
}

const std::vector<ContainerPortView>& NamedPorts::none() {
  static const auto* empty = new std::vector<ContainerPortView>;
  return *empty;
}

bool PodView::operator==(const PodView& o) const {
  return ns == o.ns && name == o.name && uid == o.uid && labels == o.labels && ipv4 == o.ipv4 &&
         ready == o.ready && terminating == o.terminating && terminal == o.terminal &&
         nodeName == o.nodeName && hostname == o.hostname && subdomain == o.subdomain &&
         namedPorts == o.namedPorts;
}

ServiceView serviceViewOf(const json& service) {
  ServiceView view;
  const json& metadata = at(service, "metadata");
  const json& spec = at(service, "spec");
  view.ns = text(metadata, "namespace");
  view.name = text(metadata, "name");
  view.uid = text(metadata, "uid");
  view.labels = stringMap(at(metadata, "labels"));
  view.selector = stringMap(at(spec, "selector"));
  view.deleting = !at(metadata, "deletionTimestamp").is_null();
  std::string clusterIP = text(spec, "clusterIP");
  view.headless = clusterIP.empty() || clusterIP == "None";
  view.externalName = text(spec, "type") == "ExternalName";
  const json& publish = at(spec, "publishNotReadyAddresses");
  view.publishNotReadyAddresses = publish.is_boolean() && publish.get<bool>();
  const json& ports = at(spec, "ports");
  if (ports.is_array()) {
    for (const auto& port : ports) {
      ServicePortView p;
      p.name = text(port, "name");
      p.protocol = text(port, "protocol");
      if (p.protocol.empty()) p.protocol = "TCP";
      p.port = number(port, "port");
      const json& target = at(port, "targetPort");
      if (target.is_string()) p.targetPortName = target.get<std::string>();
      else if (target.is_number_integer()) p.targetPort = target.get<int>();
      else p.targetPort = p.port;
      p.appProtocol = text(port, "appProtocol");
      view.ports.push_back(std::move(p));
    }
  }
  return view;
}

PodView podViewOf(const json& pod) {
  PodView view;
  const json& metadata = at(pod, "metadata");
  const json& spec = at(pod, "spec");
  const json& status = at(pod, "status");
  view.ns = text(metadata, "namespace");
  view.name = text(metadata, "name");
  view.uid = text(metadata, "uid");
  view.labels = stringMap(at(metadata, "labels"));
  view.terminating = !at(metadata, "deletionTimestamp").is_null();
  std::string phase = text(status, "phase");
  view.terminal = phase == "Succeeded" || phase == "Failed";
  const json& podIPs = at(status, "podIPs");
  if (podIPs.is_array() && !podIPs.empty()) {
    for (const auto& entry : podIPs) {
      std::string ip = text(entry, "ip");
      if (isIpv4(ip)) view.ipv4.push_back(ip);
    }
  } else if (std::string ip = text(status, "podIP"); isIpv4(ip)) {
    view.ipv4.push_back(ip);
  }
  const json& conditions = at(status, "conditions");
  if (conditions.is_array()) {
    for (const auto& condition : conditions) {
      if (text(condition, "type") == "Ready") view.ready = text(condition, "status") == "True";
    }
  }
  view.nodeName = text(spec, "nodeName");
  view.hostname = text(spec, "hostname");
  view.subdomain = text(spec, "subdomain");
  std::vector<ContainerPortView> namedPorts;
  addNamedPorts(at(spec, "containers"), false, namedPorts);
  addNamedPorts(at(spec, "initContainers"), true, namedPorts);
  view.namedPorts = std::move(namedPorts);
  return view;
}

bool selects(const ServiceView& service, const LabelMap& podLabels) {
  if (service.selector.empty()) return false;
  for (const auto& [key, value] : service.selector) {
    auto it = podLabels.find(key);
    if (it == podLabels.end() || it->second != value) return false;
  }
  return true;
}

std::optional<int> findPort(const PodView& pod, const ServicePortView& port) {
  if (port.targetPortName.empty()) return port.targetPort;
  for (const auto& named : pod.namedPorts) {
    if (named.name == port.targetPortName && named.protocol == port.protocol) return named.port;
  }
  return std::nullopt;
}

bool shouldBeEndpoint(const PodView& pod, bool includeTerminating) {
  if (pod.terminal || pod.ipv4.empty()) return false;
  return includeTerminating || !pod.terminating;
}

bool shouldSetHostname(const PodView& pod, const ServiceView& service) {
  return !pod.hostname.empty() && pod.subdomain == service.name && pod.ns == service.ns;
}

}  // namespace minik
