// Service defaults: core/v1 SetDefaults_Service, the status every Service
// carries, and the address fields Kubernetes' service strategy normalizes
// (clusterIPs mirrors clusterIP; single-stack families).
#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

void defaultService(json& service) {
  json* spec = objectMember(service, "spec");
  if (spec == nullptr) return;
  defaultString(*spec, "sessionAffinity", "None");
  std::string affinity = stringMember(*spec, "sessionAffinity");
  if (affinity == "None") {
    spec->erase("sessionAffinityConfig");
  } else if (affinity == "ClientIP") {
    json* config = objectMember(*spec, "sessionAffinityConfig");
    json* clientIP = config ? objectMember(*config, "clientIP") : nullptr;
    if (clientIP) defaultValue(*clientIP, "timeoutSeconds", 10800);
  }
  defaultString(*spec, "type", "ClusterIP");
  const std::string type = stringMember(*spec, "type");
  if (spec->contains("ports") && (*spec)["ports"].is_array()) {
    for (auto& port : (*spec)["ports"]) {
      if (!port.is_object()) continue;
      defaultString(port, "protocol", "TCP");
      const json* target = member(port, "targetPort");
      bool unset = target == nullptr || (target->is_number() && target->get<long long>() == 0) ||
                   (target->is_string() && target->get_ref<const std::string&>().empty());
      if (unset && member(port, "port")) port["targetPort"] = port["port"];
    }
  }
  bool externallyAccessible = type == "LoadBalancer" || type == "NodePort" ||
                              (type == "ClusterIP" && !isUnset(*spec, "externalIPs"));
  if (externallyAccessible) defaultString(*spec, "externalTrafficPolicy", "Cluster");
  if (type == "ClusterIP" || type == "NodePort" || type == "LoadBalancer") {
    defaultString(*spec, "internalTrafficPolicy", "Cluster");
  }
  if (type == "LoadBalancer") defaultValue(*spec, "allocateLoadBalancerNodePorts", true);
  if (type != "ExternalName") {
    std::string clusterIP = stringMember(*spec, "clusterIP");
    const json* clusterIPs = member(*spec, "clusterIPs");
    if (!clusterIP.empty() && (clusterIPs == nullptr || (clusterIPs->is_array() && clusterIPs->empty()))) {
      (*spec)["clusterIPs"] = json::array({clusterIP});
    } else if (clusterIP.empty() && clusterIPs && clusterIPs->is_array() && !clusterIPs->empty() &&
               (*clusterIPs)[0].is_string()) {
      (*spec)["clusterIP"] = (*clusterIPs)[0];
    }
    defaultString(*spec, "ipFamilyPolicy", "SingleStack");
    if (isUnset(*spec, "ipFamilies")) {
      std::string primary = stringMember(*spec, "clusterIP");
      (*spec)["ipFamilies"] = json::array({isIpv6Address(primary) ? "IPv6" : "IPv4"});
    }
  }
  json* status = objectMember(service, "status");
  if (status) defaultValue(*status, "loadBalancer", json::object());
}

}  // namespace minik
