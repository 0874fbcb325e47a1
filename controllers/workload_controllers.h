// controllers/workload_controllers.h — Deployments run pods: the Deployment,
// ReplicaSet and scheduling controllers, Node registration, garbage
// collection by ownerReferences, namespace deletion, and the kube-system
// bootstrap that shows the embedded DNS server as k3s shows CoreDNS.
#pragma once

#include <memory>

#include <uv.h>

#include "api/cluster_config.h"
#include "api/pod_backed_server.h"
#include "client/cluster_client.h"
#include "client/informer.h"

namespace minik {

class WorkloadControllers {
 public:
  virtual ~WorkloadControllers() = default;
  virtual void start() = 0;
  // Pods events for another controller too, from the same pod informer,
  // after the workload controllers' own handlers. Call before start().
  virtual void feedPodsTo(Informer::Handlers handlers) = 0;
  // The embedded DNS server that kube-system/coredns pods stand for: it is
  // stopped and started with them, and their Ready follows its serving().
  // Optional; call before the loop runs.
  virtual void setDnsServer(PodBackedServer* dns) = 0;
};

std::unique_ptr<WorkloadControllers> makeWorkloadControllers(uv_loop_t* loop, ClusterClient& client,
                                                             const ClusterConfig& config);

}  // namespace minik
