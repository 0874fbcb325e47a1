// controllers/kube_system_bootstrap.h — kube-system as k3s shows it: the
// in-process DNS server appears as CoreDNS does on k3s, so the usual
// troubleshooting commands work:
//  - Deployment `coredns` (labels k8s-app=kube-dns, kubernetes.io/name=CoreDNS;
//    one replica of container `coredns`, image rancher/mirrored-coredns-coredns,
//    ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP);
//  - Service `kube-dns` (ClusterIP = --cluster-dns, same ports, selector
//    k8s-app=kube-dns); its EndpointSlices come from the EndpointSlice
//    controller once the pod is Ready.
// Both come back when deleted, as k3s's addon manifests do. Its pods stand
// for the embedded server: once bound to this node, this controller writes
// their status as the kubelet of a static pod would (Running, Ready, podIP =
// hostIP = the node's address). The DNS server is assumed to be serving.
#pragma once

#include <string>

#include <uv.h>

#include <nlohmann/json.hpp>

#include "api/cluster_config.h"
#include "client/cluster_client.h"
#include "controllers/workload_pod_view.h"
#include "controllers/view_cache.h"
#include "controllers/work_queue.h"

namespace minik {

// The objects as created (pure, for tests and the controller).
nlohmann::json corednsDeployment();
nlohmann::json kubeDnsService(const ClusterConfig& config);
// The status the "kubelet" of the embedded DNS server writes over a pod's
// current status at time now.
nlohmann::json servingPodStatus(const nlohmann::json& pod, const ClusterConfig& config,
                                const std::string& now);

class KubeSystemBootstrap {
 public:
  KubeSystemBootstrap(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                      ViewCache<WorkloadPodView>& pods);

  void start();
  // From the Deployment and Service informers.
  void objectDeleted(const KindInfo& kind, const nlohmann::json& object);

 private:
  WorkQueue::Outcome process(const std::string& key);
  WorkQueue::Outcome ensureObjects();
  WorkQueue::Outcome markServing(const std::string& podKey);
  bool standsForDns(const WorkloadPodView& pod) const;

  ClusterClient& client_;
  ClusterConfig config_;
  ViewCache<WorkloadPodView>& pods_;
  WorkQueue queue_;
};

}  // namespace minik
