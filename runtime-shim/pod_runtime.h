// runtime-shim/pod_runtime.h — minik's kubelet: it watches the pods bound
// to this node and makes them real (sandbox, containers through an OCI
// runtime, probes, restarts), writes their status through the API (pods
// /status), finishes the graceful deletion of pods, and serves their logs.
//
// Contract:
//  - Runs on the client's loop; blocking work (netlink, mounts, runc,
//    probes) runs on libuv's thread pool, one pass at a time per pod.
//  - Pods stay running when minik stops; the next start re-adopts them from
//    their folders under <data-dir>/pods and removes what belongs to pods
//    deleted meanwhile.
//  - Pods of the embedded DNS (kube-system, k8s-app=kube-dns) are left to
//    the kube-system bootstrap, which stands in for them.
//  - On this node it owns: the bridge minik0, network namespaces
//    minik-<uid prefix>, veths mk<uid prefix>, and, under the data dir,
//    pods/, images/, ipam/, runc/.
#pragma once

#include <memory>
#include <string>

#include <uv.h>

#include "api/cluster_config.h"
#include "client/cluster_client.h"
#include "client/pod_log_source.h"

namespace minik {

struct NodeRuntimeOptions {
  std::string dataDir;                   // the server's --data-dir
  std::string containerRuntime = "auto";  // "auto" (crun, then runc, as the cgroup layout allows), a name or path, or "none"
  std::string imagesDir;                 // tarballs imported at start ("" = <data-dir>/agent/images)
  std::string resolvConf = "/etc/resolv.conf";  // the node's, for dnsPolicy Default and search domains
  int64_t logMaxBytes = 1 << 20;         // per container file before rotation
};

class NodeRuntime {
 public:
  virtual ~NodeRuntime() = default;
  // True when pods will run here (an OCI runtime was chosen, see
  // runtime_choice.h); the API server then lets it finish the deletion of
  // bound pods.
  virtual bool runsPods() const = 0;
  // Logs which runtime was chosen and why; then sets up the bridge, imports
  // the images folder, re-adopts or cleans up pods, and starts watching.
  // False with error set when a runtime was asked for but cannot work.
  virtual bool start(std::string* error) = 0;
  // Stops watching; pods keep running.
  virtual void stop() = 0;
  // The logs of this node's pods, for the pods/log subresource; null when
  // no pods run here.
  virtual PodLogSource* logSource() = 0;
  // This node's own address on the pod network (the bridge's, the pod
  // CIDR's first address) once start() set it up; "" when no pods run here.
  virtual std::string podNetworkAddress() const = 0;
};

std::unique_ptr<NodeRuntime> makeNodeRuntime(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                                             const NodeRuntimeOptions& options);

}  // namespace minik
