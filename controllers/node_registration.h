// controllers/node_registration.h — `minik server` is a node too: it
// registers its Node object as a kubelet would (addresses, podCIDR, capacity
// and allocatable from the machine, nodeInfo, the labels k3s gives a server
// node) and keeps the Ready condition current.
//
// Flash wear: the status is written when something in it changes, and the
// heartbeat (lastHeartbeatTime) is refreshed at most every kHeartbeatSeconds;
// an unchanged restart writes nothing. A deleted Node is registered again.
#pragma once

#include <cstdint>
#include <string>

#include <uv.h>

#include <nlohmann/json.hpp>

#include "api/cluster_config.h"
#include "client/cluster_client.h"
#include "controllers/work_queue.h"

namespace minik {

constexpr int64_t kHeartbeatSeconds = 600;

// What the machine says about itself (sysconf, /proc/meminfo, uname,
// /etc/os-release, machine-id, boot_id).
struct MachineFacts {
  int64_t cpus = 1;
  int64_t memoryKi = 0;
  int64_t ephemeralStorageKi = 0;
  std::string kernelVersion, osImage, architecture = "amd64";
  std::string machineId, bootId, systemUuid;
};
MachineFacts readMachineFacts();

// "10.42.0.0/16" -> "10.42.0.0/24": this node's share of the pod range.
std::string firstPodCidr(const std::string& clusterCidr);

// The Node as its kubelet would register it at time now.
nlohmann::json nodeObject(const MachineFacts& facts, const ClusterConfig& config, const std::string& now);

// The status to write over `current` (the stored Node's status): the wanted
// status with lastTransitionTime kept for unchanged conditions and
// lastHeartbeatTime kept unless a heartbeat is due. Equal to current when no
// write is needed.
nlohmann::json nextNodeStatus(const nlohmann::json& current, const nlohmann::json& wanted, int64_t now);

class NodeRegistration {
 public:
  NodeRegistration(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config);
  ~NodeRegistration();

  void start();
  // From the Node informer: our Node vanished.
  void nodeDeleted(const std::string& name);

 private:
  WorkQueue::Outcome ensure();

  ClusterClient& client_;
  ClusterConfig config_;
  MachineFacts facts_;
  const KindInfo& nodeKind_;
  WorkQueue queue_;
  uv_timer_t* heartbeat_;
};

}  // namespace minik
