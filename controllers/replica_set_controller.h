// controllers/replica_set_controller.h — keeps the pods of every ReplicaSet
// at spec.replicas (pkg/controller/replicaset): creates pods named
// `<rs>-<5 chars>` (generateName) from the template with a controller
// ownerReference, deletes the least valuable pods first when there are too
// many (pod_ranking.h), and writes status: replicas, fullyLabeledReplicas,
// readyReplicas, availableReplicas, observedGeneration.
//
// Pods belong to a ReplicaSet by their controller ownerReference (orphans
// matching the selector are not adopted). A ReplicaSet being deleted gets no
// new pods; the garbage collector removes its pods.
#pragma once

#include <uv.h>

#include "client/cluster_client.h"
#include "controllers/workload_pod_view.h"
#include "controllers/replica_set_view.h"
#include "controllers/view_cache.h"
#include "controllers/work_queue.h"

namespace minik {

class ReplicaSetController {
 public:
  ReplicaSetController(uv_loop_t* loop, ClusterClient& client, ViewCache<ReplicaSetView>& sets,
                       ViewCache<WorkloadPodView>& pods);

 private:
  WorkQueue::Outcome sync(const std::string& key);
  bool createPods(const ReplicaSetView& rs, int32_t count);
  bool deletePods(const ReplicaSetView& rs, const std::vector<const WorkloadPodView*>& active, size_t count);
  bool writeStatus(const ReplicaSetView& rs, int64_t now, int64_t* nextAvailableIn);

  ClusterClient& client_;
  ViewCache<ReplicaSetView>& sets_;
  ViewCache<WorkloadPodView>& pods_;
  const KindInfo& rsKind_;
  const KindInfo& podKind_;
  WorkQueue queue_;
  std::unordered_map<std::string, std::string> setKeyByUid_;
};

}  // namespace minik
