// controllers/namespace_controller.h — finishes the deletion of Namespaces
// (pkg/controller/namespace/deletion): once a Namespace has a
// deletionTimestamp (phase Terminating), every object of every namespaced
// kind in it is deleted; when none is left, the "kubernetes" finalizer is
// removed from spec.finalizers and the API deletes the Namespace.
//
// Objects that linger (finalizers of their own) are waited for, checking
// again every second; status conditions report what remains, with the types,
// reasons and messages of Kubernetes (NamespaceContentRemaining, ...).
#pragma once

#include <string>

#include <uv.h>

#include <nlohmann/json.hpp>

#include "client/cluster_client.h"
#include "controllers/work_queue.h"

namespace minik {

class NamespaceController {
 public:
  NamespaceController(uv_loop_t* loop, ClusterClient& client);

  // From the Namespace informer.
  void namespaceChanged(const nlohmann::json& ns);

 private:
  WorkQueue::Outcome finish(const std::string& name);
  bool writeConditions(nlohmann::json ns, const std::string& remaining, bool finalizersRemain);

  ClusterClient& client_;
  const KindInfo& namespaceKind_;
  WorkQueue queue_;
};

}  // namespace minik
