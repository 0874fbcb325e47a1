// Namespace and Node defaults: a Namespace gets the "kubernetes" finalizer and
// phase Active (namespace strategy, SetDefaults_NamespaceStatus) and the
// kubernetes.io/metadata.name label (SetDefaults_Namespace); a Node's
// allocatable defaults to its capacity (SetDefaults_NodeStatus).
#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

void defaultNamespace(json& ns) {
  std::string name = member(ns, "metadata") ? stringMember(ns["metadata"], "name") : "";
  if (!name.empty()) {
    if (json* meta = objectMember(ns, "metadata")) {
      if (json* labels = objectMember(*meta, "labels")) (*labels)["kubernetes.io/metadata.name"] = name;
    }
  }
  if (json* spec = objectMember(ns, "spec")) defaultValue(*spec, "finalizers", json::array({"kubernetes"}));
  if (json* status = objectMember(ns, "status")) defaultString(*status, "phase", "Active");
}

void defaultNode(json& node) {
  const json* status = member(node, "status");
  if (status == nullptr) return;
  json* s = objectMember(node, "status");
  if (s && member(*s, "capacity")) defaultValue(*s, "allocatable", (*s)["capacity"]);
}

}  // namespace minik
