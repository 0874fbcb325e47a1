// runtime-shim/pod_sync.h — one pass of making a pod on this node what its
// spec says (the kubelet's syncPod / SyncTerminatingPod): sandbox, init
// containers in order, containers, restarts with back-off, probes, and the
// graceful stop and teardown of a pod being deleted. The result is recorded
// in the PodRecord, from which the status is computed (pod_status.h).
//
// Contract:
//  - Blocking (netlink, mounts, the OCI runtime, probes): run it off the
//    event loop, never twice at once for one pod. Different pods may sync
//    in parallel.
//  - Idempotent: a pass over a pod already in shape changes nothing; it is
//    meant to be run again every second and after every change of the pod.
//  - The record is saved in the pod's folder at the end of every pass that
//    keeps the pod; a pass returning Finished has removed everything the
//    pod had on the node (containers, mounts, namespace, address, files).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime-shim/image_store.h"
#include "runtime-shim/oci_runtime.h"
#include "runtime-shim/pod_address_pool.h"
#include "runtime-shim/pod_network.h"
#include "runtime-shim/pod_record.h"

namespace minik {

struct NodeServices {
  std::string podsDir;     // <data-dir>/pods: one folder per pod UID
  std::string runtimeName;  // "runc" or "crun" (containerID scheme)
  ImageStore* images = nullptr;
  OciRuntime* runtime = nullptr;
  PodNetwork* network = nullptr;
  PodAddressPool* addresses = nullptr;
  std::string nodeIp;
  std::string clusterDns, clusterDomain;
  std::string hostResolvConf;  // text of the node's resolv.conf
  int64_t logMaxBytes = 1 << 20;
};

struct SyncInput {
  nlohmann::json pod;        // the latest object (the last state when deleted)
  bool goneFromApi = false;  // deleted from the API already
  // ConfigMap and Secret data the pod refers to ("configmap/NAME",
  // "secret/NAME"), read on the event loop; nullopt when missing.
  std::map<std::string, std::optional<nlohmann::json>> sources;
};

enum class SyncOutcome { Active, Finished };

std::string podDir(const NodeServices& node, const std::string& uid);
std::string containerLogDir(const NodeServices& node, const std::string& uid, const std::string& container);

SyncOutcome syncPod(const NodeServices& node, const SyncInput& input, PodRecord& record);

// The record saved in a pod's folder (empty uid when none).
PodRecord loadPodRecord(const NodeServices& node, const std::string& uid);

// Stops (SIGKILL) and removes everything of a pod known only from its
// folder (a pod deleted while minik was down).
void removeLeftoverPod(const NodeServices& node, const std::string& uid);

}  // namespace minik
