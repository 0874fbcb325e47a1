// controllers/deployment_rollout.h — the arithmetic of a Deployment's
// rollout, as pkg/controller/deployment (util/deployment_util.go, sync.go,
// rolling.go, recreate.go) does it: fenceposts from maxSurge and
// maxUnavailable, how far the new ReplicaSet may grow, how far old ones may
// shrink, proportional scaling, status counts and history cleanup.
//
// Pure functions over compact views; the controller performs the writes.
// A "plan" lists ReplicaSets with their new spec.replicas, in the order the
// writes are to be made; sets already at their size are left out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "controllers/replica_set_view.h"

namespace minik {

struct DeploymentSpecView {
  std::string name;
  int64_t generation = 0;
  int32_t replicas = 1;
  bool recreate = false;
  nlohmann::json maxSurge = "25%";
  nlohmann::json maxUnavailable = "25%";
  std::optional<int32_t> revisionHistoryLimit = 10;
  std::optional<int32_t> progressDeadlineSeconds = 600;
  int32_t minReadySeconds = 0;
  bool paused = false;
  std::optional<int32_t> collisionCount;
  int32_t statusReplicas = 0;  // status.replicas, for proportional scaling

  static DeploymentSpecView fromObject(const nlohmann::json& deployment);
};

using ReplicaSets = std::vector<const ReplicaSetView*>;
using ScalePlan = std::vector<std::pair<const ReplicaSetView*, int32_t>>;

// intstr.GetScaledValueFromIntOrPercent: an int, or "N%" of total rounded up
// or down. Invalid values count as 0.
int32_t scaledValue(const nlohmann::json& intOrPercent, int32_t total, bool roundUp);

// deploymentutil.MaxSurge / MaxUnavailable (ResolveFenceposts: when both
// resolve to 0, maxUnavailable is 1). Recreate: both 0.
int32_t maxSurge(const DeploymentSpecView& d);
int32_t maxUnavailable(const DeploymentSpecView& d);

int32_t specReplicaSum(const ReplicaSets& sets);
int32_t statusReplicaSum(const ReplicaSets& sets);
int32_t availableSum(const ReplicaSets& sets);
int32_t readySum(const ReplicaSets& sets);
ReplicaSets activeOnly(const ReplicaSets& sets);  // spec.replicas > 0

// deploymentutil.NewRSNewReplicas: the size the new ReplicaSet may reach now.
int32_t newReplicaSetReplicas(const DeploymentSpecView& d, const ReplicaSets& all,
                              int32_t newSetReplicas);

// deploymentutil.IsSaturated.
bool isSaturated(const DeploymentSpecView& d, const ReplicaSetView* newSet);

// dc.isScalingEvent: an active set's desired-replicas annotation differs
// from spec.replicas.
bool isScalingEvent(const DeploymentSpecView& d, const ReplicaSetView* newSet,
                    const ReplicaSets& oldSets);

// dc.scale: the sizes after a scaling event (FindActiveOrLatest, saturation,
// then proportional scaling with leftovers to the largest set).
ScalePlan scalePlan(const DeploymentSpecView& d, const ReplicaSetView* newSet,
                    const ReplicaSets& oldSets);

// rolling.go reconcileOldReplicaSets: cleanupUnhealthyReplicas then
// scaleDownOldReplicaSetsForRollingUpdate.
ScalePlan rollingScaleDownPlan(const DeploymentSpecView& d, const ReplicaSetView& newSet,
                               const ReplicaSets& oldSets);

// The highest deployment.kubernetes.io/revision among sets.
int64_t maxRevision(const ReplicaSets& sets);

// dc.cleanupDeployment: old sets beyond revisionHistoryLimit, oldest revision
// first, that are fully scaled down.
ReplicaSets historyToDelete(const DeploymentSpecView& d, const ReplicaSets& oldSets);

struct DeploymentCounts {
  int32_t replicas = 0, updated = 0, ready = 0, available = 0, unavailable = 0;
};
// calculateStatus's counts.
DeploymentCounts deploymentCounts(const ReplicaSetView* newSet, const ReplicaSets& all);

// Orders of pkg/controller: by creation (then name), and the newest first.
void sortByCreation(ReplicaSets& sets);

}  // namespace minik
