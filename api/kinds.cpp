#include "api/kinds.h"

#include <algorithm>

namespace minik {

namespace {

const std::vector<std::string> kStandardVerbs = {"create", "delete", "deletecollection", "get",
                                                 "list", "patch", "update", "watch"};

std::vector<KindInfo> buildKinds() {
  auto k = [](std::string group, std::string kind, std::string resource, std::string singular,
              bool namespaced, std::vector<std::string> shortNames,
              std::vector<std::string> categories, std::vector<std::string> subresources) {
    KindInfo info;
    info.group = std::move(group);
    info.version = "v1";
    info.kind = std::move(kind);
    info.resource = std::move(resource);
    info.singular = std::move(singular);
    info.namespaced = namespaced;
    info.shortNames = std::move(shortNames);
    info.categories = std::move(categories);
    info.subresources = std::move(subresources);
    info.verbs = kStandardVerbs;
    return info;
  };
  std::vector<KindInfo> kinds = {
      k("", "Namespace", "namespaces", "namespace", false, {"ns"}, {}, {"status"}),
      k("", "Node", "nodes", "node", false, {"no"}, {}, {"status"}),
      k("", "Pod", "pods", "pod", true, {"po"}, {"all"}, {"status", "log"}),
      k("", "Service", "services", "service", true, {"svc"}, {"all"}, {"status"}),
      k("", "Endpoints", "endpoints", "endpoints", true, {"ep"}, {}, {}),
      k("", "ConfigMap", "configmaps", "configmap", true, {"cm"}, {}, {}),
      k("", "Secret", "secrets", "secret", true, {}, {}, {}),
      k("", "ServiceAccount", "serviceaccounts", "serviceaccount", true, {"sa"}, {}, {}),
      k("", "Event", "events", "event", true, {"ev"}, {}, {}),
      k("apps", "Deployment", "deployments", "deployment", true, {"deploy"}, {"all"},
        {"status", "scale"}),
      k("apps", "ReplicaSet", "replicasets", "replicaset", true, {"rs"}, {"all"},
        {"status", "scale"}),
      k("discovery.k8s.io", "EndpointSlice", "endpointslices", "endpointslice", true, {}, {}, {}),
  };
  // Namespaces cannot be collection-deleted in Kubernetes.
  for (auto& info : kinds) {
    if (info.kind == "Namespace") {
      info.verbs.erase(std::find(info.verbs.begin(), info.verbs.end(), "deletecollection"));
    }
  }
  return kinds;
}

}  // namespace

std::string KindInfo::apiVersion() const { return group.empty() ? version : group + "/" + version; }

std::string KindInfo::storageResource() const {
  return group.empty() ? resource : resource + "." + group;
}

std::string KindInfo::qualifiedSingular() const {
  return group.empty() ? singular : singular + "." + group;
}

bool KindInfo::hasSubresource(std::string_view sub) const {
  return std::find(subresources.begin(), subresources.end(), sub) != subresources.end();
}

const std::vector<KindInfo>& allKinds() {
  static const std::vector<KindInfo> kinds = buildKinds();
  return kinds;
}

const KindInfo* findKindByResource(std::string_view group, std::string_view version,
                                   std::string_view resource) {
  for (const auto& info : allKinds()) {
    if (info.group == group && info.version == version && info.resource == resource) return &info;
  }
  return nullptr;
}

const KindInfo* findKindByKind(std::string_view apiVersion, std::string_view kind) {
  for (const auto& info : allKinds()) {
    if (info.apiVersion() == apiVersion && info.kind == kind) return &info;
  }
  return nullptr;
}

}  // namespace minik
