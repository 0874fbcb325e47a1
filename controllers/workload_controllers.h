// controllers/workload_controllers.h — Deployments run pods: the Deployment,
// ReplicaSet and scheduling controllers, Node registration, garbage
// collection by ownerReferences, namespace deletion, and the kube-system
// bootstrap that shows the embedded DNS server as k3s shows CoreDNS.
#pragma once

#include <memory>

#include <uv.h>

#include "api/cluster_config.h"
#include "client/cluster_client.h"

namespace minik {

class WorkloadControllers {
 public:
  virtual ~WorkloadControllers() = default;
  virtual void start() = 0;
};

std::unique_ptr<WorkloadControllers> makeWorkloadControllers(uv_loop_t* loop, ClusterClient& client,
                                                             const ClusterConfig& config);

}  // namespace minik
