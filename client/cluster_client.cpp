#include "client/cluster_client.h"

#include <cstdio>
#include <cstdlib>

namespace minik {

ClientList ClusterClient::listEach(const KindInfo& kind, const std::string& ns,
                                   const std::function<void(const nlohmann::json&)>& visit) {
  ClientList list = this->list(kind, ns, "");
  for (const auto& object : list.items) visit(object);
  list.items.clear();
  return list;
}

const KindInfo& kindOf(const std::string& group, const std::string& resource) {
  const KindInfo* kind = findKindByResource(group, "v1", resource);
  if (!kind) {
    std::fprintf(stderr, "minik: internal error: unknown resource %s/%s\n", group.c_str(),
                 resource.c_str());
    std::abort();
  }
  return *kind;
}

}  // namespace minik
