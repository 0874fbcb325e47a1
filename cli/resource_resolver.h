// cli/resource_resolver.h — what `pods`, `po`, `Pod`, `deploy.apps` or a
// manifest's apiVersion/kind mean, learnt from the server's discovery
// documents (/api/v1, /apis, /apis/GROUP/VERSION) as kubectl learns them,
// so the CLI knows every kind the server serves and no other.
//
// Discovery is read lazily (a manifest of core kinds costs one request) and
// at most once per group version. Pointers returned stay valid for the
// resolver's life.
#pragma once

#include <deque>
#include <set>
#include <string>
#include <vector>

#include "cli/rest_client.h"

namespace minik {

struct ResourceType {
  std::string group;
  std::string version;
  std::string kind;
  std::string resource;  // "deployments"
  std::string singular;  // "deployment"
  bool namespaced = true;
  std::vector<std::string> shortNames;
  std::vector<std::string> categories;

  std::string apiVersion() const;      // "apps/v1", "v1"
  std::string displayName() const;     // "deployment.apps", "pod": kubectl's name for objects
  std::string groupResource() const;   // "deployments.apps", "pods"
  // The REST path of the collection (name empty) or of one object; ns is
  // ignored for cluster-scoped kinds and means "all namespaces" when empty.
  std::string path(const std::string& ns, const std::string& name = "") const;
};

class ResourceResolver {
 public:
  explicit ResourceResolver(RestClient& client) : client_(client) {}

  // One resource as a user types it: plural, singular, short name or kind
  // (any case), optionally with ".group" or ".version.group". nullptr with
  // error `the server doesn't have a resource type "x"` when none matches.
  const ResourceType* byName(const std::string& name, std::string* error);

  // "pods,svc", "all": each name, categories expanded to their members in
  // discovery order, duplicates dropped.
  bool expand(const std::string& list, std::vector<const ResourceType*>* out, std::string* error);

  // The resource of a manifest's apiVersion and kind; nullptr when unserved.
  const ResourceType* byKind(const std::string& apiVersion, const std::string& kind);

 private:
  void loadEverything();
  void loadGroupVersion(const std::string& groupVersion);

  RestClient& client_;
  std::deque<ResourceType> types_;
  std::set<std::string> loaded_;
  bool everything_ = false;
};

}  // namespace minik
