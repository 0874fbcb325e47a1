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
// their status as the kubelet of a static pod would (Running, hostIP = the
// node's address, podIP = the address the server really serves port 53 on,
// PodBackedServer::podIp(), so the kube-dns endpoints lead there) and plays
// the kubelet's part for the server too:
//  - when the pod the server runs under is deleted (or terminating), the
//    server stops serving, as CoreDNS's container would be killed;
//  - when a new pod stands for it, the server starts serving again;
//  - Ready is the server's serving(), checked again while it is not.
// Without a server (setServer not called) it is assumed to be serving on
// the node's address.
#pragma once

#include <string>

#include <uv.h>

#include <nlohmann/json.hpp>

#include "api/cluster_config.h"
#include "api/pod_backed_server.h"
#include "client/cluster_client.h"
#include "controllers/workload_pod_view.h"
#include "controllers/view_cache.h"
#include "controllers/work_queue.h"

namespace minik {

// The objects as created (pure, for tests and the controller).
nlohmann::json corednsDeployment();
nlohmann::json kubeDnsService(const ClusterConfig& config);
// The status the "kubelet" of the embedded DNS server writes over a pod's
// current status at time now; Ready is serving, podIP is podIp (none when
// empty).
nlohmann::json servingPodStatus(const nlohmann::json& pod, const ClusterConfig& config, const std::string& podIp,
                                const std::string& now, bool serving = true);

class KubeSystemBootstrap {
 public:
  KubeSystemBootstrap(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                      ViewCache<WorkloadPodView>& pods);

  // The server the coredns pods stand for; call before the loop runs. The
  // server is serving when this is called (minik server started it).
  void setServer(PodBackedServer* server) { server_ = server; }
  void start();
  // From the Deployment and Service informers.
  void objectDeleted(const KindInfo& kind, const nlohmann::json& object);

 private:
  WorkQueue::Outcome process(const std::string& key);
  WorkQueue::Outcome ensureObjects();
  WorkQueue::Outcome markServing(const std::string& podKey);
  // Stops the server when the pod it runs under no longer stands for it.
  WorkQueue::Outcome followServedPod();
  bool servedPodStands() const;
  bool serverServing() const { return !server_ || server_->serving(); }
  std::string serverPodIp() const { return server_ ? server_->podIp() : config_.nodeIp; }
  bool standsForDns(const WorkloadPodView& pod) const;

  ClusterClient& client_;
  ClusterConfig config_;
  ViewCache<WorkloadPodView>& pods_;
  PodBackedServer* server_ = nullptr;
  // The pod the server runs under (key and uid); empty when none yet.
  std::string servedKey_, servedUid_;
  bool serverStopped_ = false;  // by us, when its pod went
  WorkQueue queue_;
};

}  // namespace minik
