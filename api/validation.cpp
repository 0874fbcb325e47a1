#include "api/validation.h"

#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

void applyDefaults(const KindInfo& kind, json& object) {
  if (!object.is_object()) return;
  const std::string& k = kind.kind;
  if (k == "Pod") defaultPod(object);
  else if (k == "Service") defaultService(object);
  else if (k == "Deployment") defaultDeployment(object);
  else if (k == "ReplicaSet") defaultReplicaSet(object);
  else if (k == "Namespace") defaultNamespace(object);
  else if (k == "Node") defaultNode(object);
  else if (k == "Secret") defaultSecret(object);
  else if (k == "Endpoints") defaultEndpoints(object);
  else if (k == "EndpointSlice") defaultEndpointSlice(object);
}

FieldErrors validateObject(const KindInfo& kind, const json& object, const json* old) {
  FieldErrors errors;
  if (!object.is_object()) {
    errors.push_back(typeInvalidError("", BadValue::of(object), "must be an object"));
    return errors;
  }
  if (old != nullptr && old->is_object()) validateObjectMetaUpdate(object, *old, errors);
  else {
    old = nullptr;
    validateObjectMeta(kind, object, errors);
  }
  const std::string& k = kind.kind;
  if (k == "Pod") validatePod(object, old, errors);
  else if (k == "Service") validateService(object, old, errors);
  else if (k == "Deployment") validateDeployment(object, old, errors);
  else if (k == "ReplicaSet") validateReplicaSet(object, old, errors);
  else if (k == "ConfigMap") validateConfigMap(object, old, errors);
  else if (k == "Secret") validateSecret(object, old, errors);
  else if (k == "Namespace") validateNamespace(object, errors);
  else if (k == "EndpointSlice") validateEndpointSlice(object, old, errors);
  else if (k == "Endpoints") validateEndpoints(object, errors);
  else if (k == "Event") validateEvent(object, errors);
  return errors;
}

namespace {

bool needsClusterIp(const std::string& type) { return type != "ExternalName"; }
bool needsNodePorts(const std::string& type) { return type == "NodePort" || type == "LoadBalancer"; }

bool sameMember(const json& a, const json& b, const char* key) {
  const json* x = member(a, key);
  const json* y = member(b, key);
  return (x == nullptr && y == nullptr) || (x != nullptr && y != nullptr && *x == *y);
}

// As Kubernetes' service strategy (dropTypeDependentFields): when the type no
// longer needs what the old type had allocated, and the client left those
// fields as they were (e.g. a patch of only the type), clear them instead of
// refusing the update.
void dropTypeDependentFields(json& spec, const json& oldSpec, const std::string& type,
                             const std::string& oldType) {
  if (needsClusterIp(oldType) && !needsClusterIp(type) && sameMember(spec, oldSpec, "clusterIP") &&
      sameMember(spec, oldSpec, "clusterIPs")) {
    for (const char* key : {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}) spec.erase(key);
  }
  if (needsNodePorts(oldType) && !needsNodePorts(type) && spec.contains("ports") &&
      spec["ports"].is_array() && sameMember(spec, oldSpec, "ports")) {
    for (auto& port : spec["ports"]) {
      if (port.is_object()) port.erase("nodePort");
    }
  }
  if (oldType == "LoadBalancer" && type != "LoadBalancer" &&
      sameMember(spec, oldSpec, "healthCheckNodePort")) {
    spec.erase("healthCheckNodePort");
  }
}

}  // namespace

void preserveAllocatedFields(const KindInfo& kind, json& object, const json& old) {
  if (kind.kind != "Service" || !object.is_object()) return;
  const json* oldSpec = member(old, "spec");
  json* spec = objectMember(object, "spec");
  if (oldSpec == nullptr || spec == nullptr) return;
  std::string type = stringMember(*spec, "type");
  std::string oldType = stringMember(*oldSpec, "type");
  dropTypeDependentFields(*spec, *oldSpec, type, oldType);
  // A type change to or from ExternalName releases the addresses instead.
  if (type == "ExternalName" || oldType == "ExternalName") return;
  if (isUnset(*spec, "clusterIP") && isUnset(*spec, "clusterIPs")) {
    for (const char* key : {"clusterIP", "clusterIPs"}) {
      if (const json* v = member(*oldSpec, key)) (*spec)[key] = *v;
    }
  }
  for (const char* key : {"ipFamilies", "ipFamilyPolicy", "healthCheckNodePort"}) {
    if (std::string(key) == "healthCheckNodePort" && type != "LoadBalancer") continue;
    if (isUnset(*spec, key)) {
      if (const json* v = member(*oldSpec, key)) (*spec)[key] = *v;
    }
  }
  // Node ports follow the port they were allocated for (same port and protocol).
  const json* oldPorts = member(*oldSpec, "ports");
  json* ports = spec->contains("ports") && (*spec)["ports"].is_array() ? &(*spec)["ports"] : nullptr;
  if (oldPorts == nullptr || !oldPorts->is_array() || ports == nullptr || type == "ClusterIP") return;
  for (auto& port : *ports) {
    if (!port.is_object() || !isUnset(port, "nodePort")) continue;
    for (const auto& was : *oldPorts) {
      if (!was.is_object()) continue;
      std::string protocol = stringMember(port, "protocol").empty() ? "TCP" : stringMember(port, "protocol");
      std::string oldProtocol = stringMember(was, "protocol").empty() ? "TCP" : stringMember(was, "protocol");
      if (was.value("port", json()) == port.value("port", json()) && protocol == oldProtocol &&
          member(was, "nodePort")) {
        port["nodePort"] = was["nodePort"];
        break;
      }
    }
  }
}

}  // namespace minik
