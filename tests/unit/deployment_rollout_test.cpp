// The rollout arithmetic of pkg/controller/deployment on small cases whose
// answers follow from Kubernetes' formulas (and the examples in rolling.go).
#include <catch2/catch.hpp>

#include "controllers/deployment_rollout.h"

using namespace minik;
using nlohmann::json;

namespace {

ReplicaSetView set(const std::string& name, int32_t spec, int32_t available, int64_t created,
                   int64_t revision = 1) {
  ReplicaSetView rs;
  rs.name = name;
  rs.specReplicas = spec;
  rs.replicas = spec;
  rs.readyReplicas = available;
  rs.availableReplicas = available;
  rs.created = created;
  rs.revisionNumber = revision;
  return rs;
}

DeploymentSpecView deployment(int32_t replicas, json surge, json unavailable) {
  DeploymentSpecView d;
  d.name = "web";
  d.replicas = replicas;
  d.maxSurge = std::move(surge);
  d.maxUnavailable = std::move(unavailable);
  return d;
}

}  // namespace

TEST_CASE("scaledValue rounds percentages as intstr does") {
  CHECK(scaledValue("25%", 10, true) == 3);
  CHECK(scaledValue("25%", 10, false) == 2);
  CHECK(scaledValue(4, 10, true) == 4);
  CHECK(scaledValue("x", 10, true) == 0);
}

TEST_CASE("fenceposts: maxSurge rounds up, maxUnavailable down, never both zero") {
  auto d = deployment(10, "25%", "25%");
  CHECK(maxSurge(d) == 3);
  CHECK(maxUnavailable(d) == 2);
  d = deployment(1, "25%", "25%");
  CHECK(maxSurge(d) == 1);
  CHECK(maxUnavailable(d) == 0);
  d = deployment(3, 0, 0);
  CHECK(maxUnavailable(d) == 1);
  d = deployment(2, 0, 5);
  CHECK(maxUnavailable(d) == 2);  // capped at replicas
  d.recreate = true;
  CHECK(maxSurge(d) == 0);
  CHECK(maxUnavailable(d) == 0);
}

TEST_CASE("the new ReplicaSet grows up to replicas + maxSurge") {
  auto d = deployment(10, "25%", "25%");
  ReplicaSetView old = set("old", 10, 10, 1);
  CHECK(newReplicaSetReplicas(d, {&old}, 0) == 3);
  CHECK(newReplicaSetReplicas(d, {&old}, 3) == 3);  // at 13 already
  ReplicaSetView shrunk = set("old", 8, 8, 1);
  CHECK(newReplicaSetReplicas(d, {&shrunk}, 3) == 5);
  CHECK(newReplicaSetReplicas(d, {}, 0) == 10);
  d.recreate = true;
  CHECK(newReplicaSetReplicas(d, {&old}, 0) == 10);
}

TEST_CASE("old ReplicaSets shrink as far as availability allows (rolling.go example)") {
  // 10 replicas, maxUnavailable 2, maxSurge 3: new set at 3 with none available.
  auto d = deployment(10, 3, 2);
  ReplicaSetView newer = set("new", 3, 0, 2);
  ReplicaSetView old = set("old", 10, 10, 1);
  ScalePlan plan = rollingScaleDownPlan(d, newer, {&old});
  REQUIRE(plan.size() == 1);
  CHECK(plan[0].first == &old);
  CHECK(plan[0].second == 8);

  // Crash-looping new pods block further scale down: 13 - 8 - 5 = 0.
  ReplicaSetView stuck = set("new", 5, 0, 2);
  ReplicaSetView eight = set("old", 8, 8, 1);
  CHECK(rollingScaleDownPlan(d, stuck, {&eight}).empty());

  // Unhealthy old pods go first, whatever the availability.
  ReplicaSetView sick = set("old", 10, 6, 1);
  ReplicaSetView ready = set("new", 3, 3, 2);
  plan = rollingScaleDownPlan(d, ready, {&sick});
  REQUIRE(plan.size() == 1);
  CHECK(plan[0].second == 5);  // 4 unhealthy cleaned, then 9 available - 8 = 1 more
}

TEST_CASE("a scaling event resizes the only active set, or all proportionally") {
  auto d = deployment(5, "25%", "25%");
  ReplicaSetView only = set("only", 2, 2, 1);
  only.desiredReplicas = 2;
  CHECK(isScalingEvent(d, &only, {}));
  ScalePlan plan = scalePlan(d, &only, {});
  REQUIRE(plan.size() == 1);
  CHECK(plan[0].second == 5);

  // Mid-rollout: 5 -> 10 with maxSurge 3; sets annotated with max-replicas 8.
  d = deployment(10, 3, 2);
  ReplicaSetView newer = set("new", 2, 0, 2);
  ReplicaSetView old = set("old", 6, 6, 1);
  newer.maxReplicas = old.maxReplicas = 8;
  newer.desiredReplicas = old.desiredReplicas = 5;
  CHECK(isScalingEvent(d, &newer, {&old}));
  plan = scalePlan(d, &newer, {&old});
  int32_t newSize = -1, oldSize = -1;
  for (auto& [rs, n] : plan) (rs == &newer ? newSize : oldSize) = n;
  CHECK(oldSize == 10);
  CHECK(newSize == 3);
}

TEST_CASE("history beyond revisionHistoryLimit goes, oldest revision first, only when empty") {
  auto d = deployment(2, "25%", "25%");
  d.revisionHistoryLimit = 1;
  ReplicaSetView r1 = set("r1", 0, 0, 1, 1), r2 = set("r2", 0, 0, 2, 2), r3 = set("r3", 0, 0, 3, 3);
  ReplicaSets gone = historyToDelete(d, {&r3, &r1, &r2});
  REQUIRE(gone.size() == 2);
  CHECK(gone[0] == &r1);
  CHECK(gone[1] == &r2);
  r1.replicas = 1;  // still has a pod
  CHECK(historyToDelete(d, {&r3, &r1, &r2}).size() == 1);
  d.revisionHistoryLimit.reset();
  CHECK(historyToDelete(d, {&r3, &r1, &r2}).empty());
}

TEST_CASE("deployment counts add the sets' status") {
  ReplicaSetView newer = set("new", 3, 1, 2), old = set("old", 1, 1, 1);
  newer.replicas = 3;
  newer.readyReplicas = 2;
  DeploymentCounts c = deploymentCounts(&newer, {&old, &newer});
  CHECK(c.replicas == 4);
  CHECK(c.updated == 3);
  CHECK(c.ready == 3);
  CHECK(c.available == 2);
  CHECK(c.unavailable == 2);
}
