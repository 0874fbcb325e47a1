// apiserver/in_process_client.h — the ClusterClient inside `minik server`:
// writes go through the ObjectRegistry (the same path as HTTP requests), and
// watches are fed from store commits, woken on the given libuv loop.
#pragma once

#include <uv.h>

#include "apiserver/object_registry.h"
#include "client/cluster_client.h"

namespace minik {

class InProcessClient : public ClusterClient {
 public:
  InProcessClient(uv_loop_t* loop, ObjectRegistry& registry) : loop_(loop), registry_(registry) {}

  ClientResult get(const KindInfo& kind, const std::string& ns, const std::string& name) override;
  ClientList list(const KindInfo& kind, const std::string& ns,
                  const std::string& labelSelector) override;
  ClientList listEach(const KindInfo& kind, const std::string& ns,
                      const std::function<void(const nlohmann::json&)>& visit) override;
  ClientResult create(const KindInfo& kind, const std::string& ns, nlohmann::json object) override;
  ClientResult update(const KindInfo& kind, const std::string& ns, const std::string& name,
                      nlohmann::json object, const std::string& subresource) override;
  ClientResult patch(const KindInfo& kind, const std::string& ns, const std::string& name,
                     PatchType type, const nlohmann::json& patch,
                     const std::string& subresource) override;
  ClientResult remove(const KindInfo& kind, const std::string& ns, const std::string& name,
                      const DeleteOptions& options) override;
  std::unique_ptr<ClientWatch> watch(const KindInfo& kind, const std::string& ns,
                                     int64_t fromRevision,
                                     std::function<void(const ClientEvent&)> onEvent,
                                     std::function<void()> onGone) override;

 private:
  uv_loop_t* loop_;
  ObjectRegistry& registry_;
};

}  // namespace minik
