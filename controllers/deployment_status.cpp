#include "controllers/deployment_status.h"

#include "controllers/object_fields.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

const char* const kNewReplicaSetReason = "NewReplicaSetCreated";
const char* const kFoundNewReplicaSetReason = "FoundNewReplicaSet";

namespace {

const char* const kAvailable = "Available";
const char* const kProgressing = "Progressing";

int64_t count(const json& status, const char* key) { return intAt(status, key); }

void putCount(json& status, const char* key, int64_t value) {
  if (value != 0) status[key] = value;  // omitempty
}

void removeCondition(json& status, const std::string& type) {
  auto it = status.find("conditions");
  if (it == status.end() || !it->is_array()) return;
  json kept = json::array();
  for (auto& c : *it) {
    if (stringAt(c, "/type") != type) kept.push_back(c);
  }
  *it = std::move(kept);
}

std::string quoted(const std::string& name) { return json(name).dump(); }

}  // namespace

json deploymentCondition(const std::string& type, const std::string& status, const std::string& reason,
                         const std::string& message, const std::string& now) {
  return json{{"type", type},   {"status", status},         {"lastUpdateTime", now},
              {"lastTransitionTime", now}, {"reason", reason}, {"message", message}};
}

const json* findCondition(const json& status, const std::string& type) {
  const json& list = at(status, "/conditions");
  if (!list.is_array()) return nullptr;
  for (const auto& c : list) {
    if (stringAt(c, "/type") == type) return &c;
  }
  return nullptr;
}

void setDeploymentCondition(json& status, json condition) {
  const std::string type = stringAt(condition, "/type");
  if (const json* current = findCondition(status, type)) {
    if (stringAt(*current, "/status") == stringAt(condition, "/status")) {
      if (stringAt(*current, "/reason") == stringAt(condition, "/reason")) return;
      condition["lastTransitionTime"] = (*current)["lastTransitionTime"];
    }
  }
  removeCondition(status, type);
  if (!status.contains("conditions") || !status["conditions"].is_array()) status["conditions"] = json::array();
  status["conditions"].push_back(std::move(condition));
}

bool deploymentComplete(const DeploymentSpecView& d, const json& status) {
  return count(status, "/updatedReplicas") == d.replicas && count(status, "/replicas") == d.replicas &&
         count(status, "/availableReplicas") == d.replicas &&
         count(status, "/observedGeneration") >= d.generation;
}

json nextDeploymentStatus(const StatusInput& in) {
  static const json empty = json::object();
  const json& current = in.current && in.current->is_object() ? *in.current : empty;
  const std::string now = formatRfc3339(in.now);
  const DeploymentSpecView& d = in.spec;

  json status = json::object();
  putCount(status, "observedGeneration", d.generation);
  putCount(status, "replicas", in.counts.replicas);
  putCount(status, "updatedReplicas", in.counts.updated);
  putCount(status, "readyReplicas", in.counts.ready);
  putCount(status, "availableReplicas", in.counts.available);
  putCount(status, "unavailableReplicas", in.counts.unavailable);
  if (current.contains("conditions")) status["conditions"] = current["conditions"];
  if (current.contains("collisionCount")) status["collisionCount"] = current["collisionCount"];

  if (in.counts.available >= d.replicas - maxUnavailable(d)) {
    setDeploymentCondition(status, deploymentCondition(kAvailable, "True", "MinimumReplicasAvailable",
                                                       "Deployment has minimum availability.", now));
  } else {
    setDeploymentCondition(status,
                           deploymentCondition(kAvailable, "False", "MinimumReplicasUnavailable",
                                               "Deployment does not have minimum availability.", now));
  }
  if (!in.rollout) return status;

  if (!d.progressDeadlineSeconds) {
    removeCondition(status, kProgressing);
    return status;
  }
  const json* progressing = findCondition(current, kProgressing);
  bool settled = in.counts.replicas == in.counts.updated && progressing &&
                 stringAt(*progressing, "/reason") == "NewReplicaSetAvailable";
  if (settled) return status;

  const std::string subject = in.newSetName.empty() ? "Deployment " + quoted(d.name)
                                                    : "ReplicaSet " + quoted(in.newSetName);
  int64_t oldOld = count(current, "/replicas") - count(current, "/updatedReplicas");
  int64_t newOld = in.counts.replicas - in.counts.updated;
  bool progressed = in.counts.updated > count(current, "/updatedReplicas") || newOld < oldOld ||
                    in.counts.ready > count(current, "/readyReplicas") ||
                    in.counts.available > count(current, "/availableReplicas");
  if (deploymentComplete(d, status)) {
    setDeploymentCondition(status,
                           deploymentCondition(kProgressing, "True", "NewReplicaSetAvailable",
                                               subject + " has successfully progressed.", now));
  } else if (progressed) {
    json condition = deploymentCondition(kProgressing, "True", "ReplicaSetUpdated",
                                         subject + " is progressing.", now);
    // Progress moves lastUpdateTime even when the reason is unchanged.
    if (const json* cur = findCondition(status, kProgressing)) {
      if (stringAt(*cur, "/status") == "True") condition["lastTransitionTime"] = (*cur)["lastTransitionTime"];
      removeCondition(status, kProgressing);
    }
    setDeploymentCondition(status, std::move(condition));
  } else if (secondsToProgressDeadline(d, status, in.now) == 0) {
    setDeploymentCondition(status,
                           deploymentCondition(kProgressing, "False", "ProgressDeadlineExceeded",
                                               subject + " has timed out progressing.", now));
  }
  return status;
}

int64_t secondsToProgressDeadline(const DeploymentSpecView& d, const json& status, int64_t now) {
  if (!d.progressDeadlineSeconds) return -1;
  const json* progressing = findCondition(status, kProgressing);
  if (!progressing) return -1;
  std::string reason = stringAt(*progressing, "/reason");
  if (reason == "NewReplicaSetAvailable" || reason == "ProgressDeadlineExceeded") return -1;
  int64_t from = parseRfc3339(stringAt(*progressing, "/lastUpdateTime"));
  if (from == 0) return -1;
  int64_t left = from + *d.progressDeadlineSeconds - now;
  return left > 0 ? left : 0;
}

}  // namespace minik
