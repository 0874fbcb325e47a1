#include "api/patch_strategy.h"

#include <map>
#include <string>

namespace minik {

struct ObjectSchema {
  std::map<std::string, FieldStrategy, std::less<>> fields;
};

namespace {

FieldStrategy mergedBy(std::string_view key, const ObjectSchema* element = nullptr) {
  return FieldStrategy{true, key, element};
}

FieldStrategy mergedAsSet() { return FieldStrategy{true, {}, nullptr}; }

FieldStrategy nested(const ObjectSchema* schema) { return FieldStrategy{false, {}, schema}; }

// Every schema of the built-in kinds, wired to each other by address, so
// the whole set lives in one static object. Field lists follow the struct
// tags of k8s.io/api; a struct appears only if it leads to a merged list.
struct BuiltinSchemas {
  ObjectSchema objectMeta;
  ObjectSchema container;  // also EphemeralContainerCommon: same tags
  ObjectSchema podSpec;
  ObjectSchema podTemplateSpec;
  ObjectSchema podStatus;
  ObjectSchema conditionsByType;  // the status of Deployment, ReplicaSet, Service, Namespace
  ObjectSchema workloadSpec;      // DeploymentSpec and ReplicaSetSpec: a pod template
  ObjectSchema serviceSpec;
  ObjectSchema nodeSpec;
  ObjectSchema nodeStatus;

  ObjectSchema metadataOnly;
  ObjectSchema pod;
  ObjectSchema workload;  // Deployment, ReplicaSet
  ObjectSchema service;
  ObjectSchema node;
  ObjectSchema namespace_;
  ObjectSchema serviceAccount;

  BuiltinSchemas() {
    objectMeta.fields = {
        {"ownerReferences", mergedBy("uid")},
        {"finalizers", mergedAsSet()},
    };
    container.fields = {
        {"ports", mergedBy("containerPort")},
        {"env", mergedBy("name")},
        {"volumeMounts", mergedBy("mountPath")},
        {"volumeDevices", mergedBy("devicePath")},
    };
    podSpec.fields = {
        {"volumes", mergedBy("name")},  // "merge,retainKeys": retainKeys only shapes diffs
        {"initContainers", mergedBy("name", &container)},
        {"containers", mergedBy("name", &container)},
        {"ephemeralContainers", mergedBy("name", &container)},
        {"imagePullSecrets", mergedBy("name")},
        {"hostAliases", mergedBy("ip")},
        {"topologySpreadConstraints", mergedBy("topologyKey")},
        {"schedulingGates", mergedBy("name")},
        {"resourceClaims", mergedBy("name")},
    };
    podTemplateSpec.fields = {
        {"metadata", nested(&objectMeta)},
        {"spec", nested(&podSpec)},
    };
    podStatus.fields = {
        {"conditions", mergedBy("type")},
        {"hostIPs", mergedBy("ip")},
        {"podIPs", mergedBy("ip")},
        {"resourceClaimStatuses", mergedBy("name")},
    };
    conditionsByType.fields = {{"conditions", mergedBy("type")}};
    workloadSpec.fields = {{"template", nested(&podTemplateSpec)}};
    // Merged by port alone: the listMapKeys port+protocol only apply to
    // server-side apply, so two ports equal in number collide here as they
    // do in Kubernetes.
    serviceSpec.fields = {{"ports", mergedBy("port")}};
    nodeSpec.fields = {{"podCIDRs", mergedAsSet()}};
    nodeStatus.fields = {
        {"conditions", mergedBy("type")},
        {"addresses", mergedBy("type")},
    };

    metadataOnly.fields = {{"metadata", nested(&objectMeta)}};
    pod.fields = {
        {"metadata", nested(&objectMeta)},
        {"spec", nested(&podSpec)},
        {"status", nested(&podStatus)},
    };
    workload.fields = {
        {"metadata", nested(&objectMeta)},
        {"spec", nested(&workloadSpec)},
        {"status", nested(&conditionsByType)},
    };
    service.fields = {
        {"metadata", nested(&objectMeta)},
        {"spec", nested(&serviceSpec)},
        {"status", nested(&conditionsByType)},
    };
    node.fields = {
        {"metadata", nested(&objectMeta)},
        {"spec", nested(&nodeSpec)},
        {"status", nested(&nodeStatus)},
    };
    namespace_.fields = {
        {"metadata", nested(&objectMeta)},
        {"status", nested(&conditionsByType)},
    };
    serviceAccount.fields = {
        {"metadata", nested(&objectMeta)},
        {"secrets", mergedBy("name")},
    };
  }
  BuiltinSchemas(const BuiltinSchemas&) = delete;
  BuiltinSchemas& operator=(const BuiltinSchemas&) = delete;
};

const BuiltinSchemas& builtinSchemas() {
  static const BuiltinSchemas schemas;
  return schemas;
}

}  // namespace

const ObjectSchema* patchSchemaForKind(const KindInfo& kind) {
  const BuiltinSchemas& s = builtinSchemas();
  if (kind.group.empty()) {
    if (kind.kind == "Pod") return &s.pod;
    if (kind.kind == "Service") return &s.service;
    if (kind.kind == "Node") return &s.node;
    if (kind.kind == "Namespace") return &s.namespace_;
    if (kind.kind == "ServiceAccount") return &s.serviceAccount;
  } else if (kind.group == "apps") {
    if (kind.kind == "Deployment" || kind.kind == "ReplicaSet") return &s.workload;
  }
  for (const KindInfo& builtin : allKinds()) {
    if (builtin.group == kind.group && builtin.kind == kind.kind) return &s.metadataOnly;
  }
  return nullptr;
}

FieldStrategy fieldStrategy(const ObjectSchema* schema, std::string_view field) {
  if (schema == nullptr) return {};
  auto it = schema->fields.find(field);
  return it == schema->fields.end() ? FieldStrategy{} : it->second;
}

}  // namespace minik
