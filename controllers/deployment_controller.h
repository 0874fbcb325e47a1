// controllers/deployment_controller.h — runs Deployments through
// ReplicaSets as pkg/controller/deployment does: the ReplicaSet of the
// current template is `<deployment>-<pod-template-hash>` (labels and selector
// carry pod-template-hash, a controller ownerReference, and the annotations
// deployment.kubernetes.io/revision, desired-replicas and max-replicas);
// RollingUpdate honours maxSurge/maxUnavailable, Recreate scales the old
// sets to zero first; scaling events resize sets proportionally; old sets
// beyond revisionHistoryLimit are deleted once empty; status and conditions
// as deployment_status.h describes.
//
// Level-triggered: each sync reads the Deployment, looks at its sets in the
// shared ReplicaSet cache, makes one step of writes and records status, so a
// restart at any point resumes where it stood. Sets are found by controller
// ownerReference (no adoption of orphans).
#pragma once

#include <string>
#include <unordered_map>

#include <uv.h>

#include <nlohmann/json.hpp>

#include "client/cluster_client.h"
#include "controllers/deployment_rollout.h"
#include "controllers/replica_set_view.h"
#include "controllers/view_cache.h"
#include "controllers/work_queue.h"

namespace minik {

class DeploymentController {
 public:
  DeploymentController(uv_loop_t* loop, ClusterClient& client, ViewCache<ReplicaSetView>& sets);

  // From the Deployment informer.
  void deploymentChanged(const nlohmann::json& deployment);
  void deploymentDeleted(const nlohmann::json& deployment);

 private:
  struct Sync;  // the state of one sync
  WorkQueue::Outcome sync(const std::string& key);
  bool ensureNewSet(Sync& s, int32_t replicas);
  bool syncRevision(Sync& s);
  bool scaleSet(Sync& s, ReplicaSetView& set, int32_t replicas, bool* scaled);
  bool applyPlan(Sync& s, const ScalePlan& plan, bool* scaled);
  bool cleanupHistory(Sync& s);
  WorkQueue::Outcome finish(Sync& s, bool rollout);

  ClusterClient& client_;
  ViewCache<ReplicaSetView>& sets_;
  const KindInfo& deploymentKind_;
  const KindInfo& rsKind_;
  WorkQueue queue_;
  std::unordered_map<std::string, std::string> keyByUid_;
};

}  // namespace minik
