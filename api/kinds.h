// api/kinds.h — the table of kinds minik serves.
//
// What it offers: for each kind, its group/version/kind, REST resource names,
// short names, categories, scope and subresources, as discovery and kubectl
// expect them. The table is static and immutable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minik {

struct KindInfo {
  std::string group;     // "" for the core group
  std::string version;   // "v1"
  std::string kind;      // "Deployment"
  std::string resource;  // "deployments"
  std::string singular;  // "deployment"
  bool namespaced = true;
  std::vector<std::string> shortNames;    // {"deploy"}
  std::vector<std::string> categories;    // {"all"}
  std::vector<std::string> subresources;  // {"status", "scale"}
  std::vector<std::string> verbs;         // discovery verbs

  // "v1" or "apps/v1".
  std::string apiVersion() const;
  // The store's resource key: "pods", "deployments.apps".
  std::string storageResource() const;
  // "deployment.apps", "pod": how kubectl names objects in its output.
  std::string qualifiedSingular() const;
  bool hasSubresource(std::string_view sub) const;
};

const std::vector<KindInfo>& allKinds();
const KindInfo* findKindByResource(std::string_view group, std::string_view version,
                                   std::string_view resource);
const KindInfo* findKindByKind(std::string_view apiVersion, std::string_view kind);

}  // namespace minik
