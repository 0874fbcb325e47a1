// Deployment status and conditions as kubectl reads them: Available,
// Progressing with Kubernetes' reasons and messages, transition times kept.
#include <catch2/catch.hpp>

#include "controllers/deployment_status.h"

using namespace minik;
using nlohmann::json;

namespace {

StatusInput input(const json* current, int32_t replicas, DeploymentCounts counts, int64_t now) {
  StatusInput in;
  in.current = current;
  in.spec.name = "web";
  in.spec.generation = 1;
  in.spec.replicas = replicas;
  in.counts = counts;
  in.newSetName = "web-5d8f9c7b46";
  in.now = now;
  return in;
}

const json& condition(const json& status, const std::string& type) { return *findCondition(status, type); }

}  // namespace

TEST_CASE("a finished rollout reports NewReplicaSetAvailable and minimum availability") {
  json current = json::object();
  setDeploymentCondition(current, deploymentCondition("Progressing", "True", kNewReplicaSetReason,
                                                      "Created new replica set \"web-5d8f9c7b46\"",
                                                      "2024-01-01T00:00:00Z"));
  DeploymentCounts done{2, 2, 2, 2, 0};
  json status = nextDeploymentStatus(input(&current, 2, done, 1704067300));
  CHECK(status["observedGeneration"] == 1);
  CHECK(status["replicas"] == 2);
  CHECK(status["availableReplicas"] == 2);
  CHECK_FALSE(status.contains("unavailableReplicas"));  // omitempty
  CHECK(condition(status, "Available")["reason"] == "MinimumReplicasAvailable");
  CHECK(condition(status, "Available")["message"] == "Deployment has minimum availability.");
  const json& p = condition(status, "Progressing");
  CHECK(p["reason"] == "NewReplicaSetAvailable");
  CHECK(p["message"] == "ReplicaSet \"web-5d8f9c7b46\" has successfully progressed.");
  CHECK(p["lastTransitionTime"] == "2024-01-01T00:00:00Z");  // status stayed True
  CHECK(deploymentComplete(input(&current, 2, done, 0).spec, status));

  // Settled: the same inputs give the same status (no write).
  CHECK(nextDeploymentStatus(input(&status, 2, done, 1704067900)) == status);
}

TEST_CASE("progress and unavailability are reported as Kubernetes words them") {
  json current = {{"replicas", 2}, {"updatedReplicas", 0}};
  DeploymentCounts moving{3, 1, 0, 0, 3};
  json status = nextDeploymentStatus(input(&current, 2, moving, 1704067200));
  CHECK(condition(status, "Available")["status"] == "False");
  CHECK(condition(status, "Available")["reason"] == "MinimumReplicasUnavailable");
  CHECK(condition(status, "Available")["message"] == "Deployment does not have minimum availability.");
  CHECK(condition(status, "Progressing")["reason"] == "ReplicaSetUpdated");
  CHECK(condition(status, "Progressing")["message"] == "ReplicaSet \"web-5d8f9c7b46\" is progressing.");
}

TEST_CASE("no progress past the deadline is ProgressDeadlineExceeded") {
  json current = json::object();
  setDeploymentCondition(current, deploymentCondition("Progressing", "True", "ReplicaSetUpdated", "x",
                                                      "2024-01-01T00:00:00Z"));
  DeploymentCounts stuck{2, 1, 0, 0, 2};
  current["replicas"] = 2;
  current["updatedReplicas"] = 1;
  StatusInput in = input(&current, 2, stuck, 1704067200 + 100);
  CHECK(secondsToProgressDeadline(in.spec, current, in.now) == 500);
  in.now = 1704067200 + 601;
  json status = nextDeploymentStatus(in);
  CHECK(condition(status, "Progressing")["status"] == "False");
  CHECK(condition(status, "Progressing")["reason"] == "ProgressDeadlineExceeded");
  CHECK(condition(status, "Progressing")["message"] == "ReplicaSet \"web-5d8f9c7b46\" has timed out progressing.");
}
