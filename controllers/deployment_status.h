// controllers/deployment_status.h — a Deployment's status as the deployment
// controller writes it (calculateStatus and syncRolloutStatus in
// pkg/controller/deployment): counts, observedGeneration, collisionCount,
// and the Available and Progressing conditions with Kubernetes' reasons and
// messages, which `kubectl rollout status` and `kubectl describe` read.
//
// Conditions keep lastTransitionTime while their status stays the same
// (SetDeploymentCondition); a condition whose status and reason are
// unchanged is left as it is, so a settled Deployment gets no writes.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "controllers/deployment_rollout.h"

namespace minik {

// Condition types, reasons (deploymentutil) and their messages.
extern const char* const kNewReplicaSetReason;       // "NewReplicaSetCreated"
extern const char* const kFoundNewReplicaSetReason;  // "FoundNewReplicaSet"

nlohmann::json deploymentCondition(const std::string& type, const std::string& status,
                                   const std::string& reason, const std::string& message,
                                   const std::string& now);
// SetDeploymentCondition on a status object.
void setDeploymentCondition(nlohmann::json& status, nlohmann::json condition);
const nlohmann::json* findCondition(const nlohmann::json& status, const std::string& type);

struct StatusInput {
  const nlohmann::json* current = nullptr;  // the Deployment's status now (may be null)
  DeploymentSpecView spec;
  DeploymentCounts counts;
  std::string newSetName;  // "" when there is no new ReplicaSet
  // syncRolloutStatus (true) or syncDeploymentStatus, which estimates no
  // progress (scaling events, paused and deleted Deployments).
  bool rollout = true;
  int64_t now = 0;  // epoch seconds
};

nlohmann::json nextDeploymentStatus(const StatusInput& in);

// deploymentutil.DeploymentComplete on a computed status.
bool deploymentComplete(const DeploymentSpecView& d, const nlohmann::json& status);

// Seconds until the progress deadline of a rollout in progress passes, or -1
// when there is nothing to wait for.
int64_t secondsToProgressDeadline(const DeploymentSpecView& d, const nlohmann::json& status, int64_t now);

}  // namespace minik
