#include "controllers/deployment_rollout.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "controllers/object_fields.h"

namespace minik {

using nlohmann::json;

namespace {

std::optional<int32_t> optionalInt(const json& object, const char* pointer) {
  const json& v = at(object, pointer);
  if (!v.is_number_integer()) return std::nullopt;
  return static_cast<int32_t>(v.get<int64_t>());
}

bool olderThan(const ReplicaSetView* a, const ReplicaSetView* b) {
  if (a->created != b->created) return a->created < b->created;
  return a->name < b->name;
}

ReplicaSets withNew(const ReplicaSets& olds, const ReplicaSetView* newSet) {
  ReplicaSets all = olds;
  if (newSet) all.push_back(newSet);
  return all;
}

bool annotationsNeedUpdate(const ReplicaSetView& rs, int32_t desired, int32_t max) {
  return rs.desiredReplicas != desired || rs.maxReplicas != max;
}

// deploymentutil.getReplicaSetFraction.
int32_t fractionOf(const ReplicaSetView& rs, const DeploymentSpecView& d) {
  if (d.replicas == 0) return -rs.specReplicas;
  int32_t deploymentReplicas = d.replicas + maxSurge(d);
  int32_t annotated = rs.maxReplicas ? *rs.maxReplicas : d.statusReplicas;
  if (annotated == 0) return 0;
  double size = static_cast<double>(rs.specReplicas) * deploymentReplicas / annotated;
  return static_cast<int32_t>(std::round(size)) - rs.specReplicas;
}

// deploymentutil.GetProportion.
int32_t proportionOf(const ReplicaSetView& rs, const DeploymentSpecView& d, int32_t toAdd,
                     int32_t added) {
  if (rs.specReplicas == 0 || toAdd == 0 || toAdd == added) return 0;
  int32_t fraction = fractionOf(rs, d);
  int32_t allowed = toAdd - added;
  return toAdd > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

}  // namespace

DeploymentSpecView DeploymentSpecView::fromObject(const json& deployment) {
  DeploymentSpecView d;
  d.name = stringAt(deployment, "/metadata/name");
  d.generation = intAt(deployment, "/metadata/generation");
  d.replicas = static_cast<int32_t>(intAt(deployment, "/spec/replicas", 1));
  d.recreate = stringAt(deployment, "/spec/strategy/type") == "Recreate";
  const json& surge = at(deployment, "/spec/strategy/rollingUpdate/maxSurge");
  if (!surge.is_null()) d.maxSurge = surge;
  const json& unavailable = at(deployment, "/spec/strategy/rollingUpdate/maxUnavailable");
  if (!unavailable.is_null()) d.maxUnavailable = unavailable;
  d.revisionHistoryLimit = optionalInt(deployment, "/spec/revisionHistoryLimit");
  d.progressDeadlineSeconds = optionalInt(deployment, "/spec/progressDeadlineSeconds");
  d.minReadySeconds = static_cast<int32_t>(intAt(deployment, "/spec/minReadySeconds"));
  d.paused = boolAt(deployment, "/spec/paused");
  d.collisionCount = optionalInt(deployment, "/status/collisionCount");
  d.statusReplicas = static_cast<int32_t>(intAt(deployment, "/status/replicas"));
  return d;
}

int32_t scaledValue(const json& intOrPercent, int32_t total, bool roundUp) {
  if (intOrPercent.is_number_integer()) return static_cast<int32_t>(intOrPercent.get<int64_t>());
  if (!intOrPercent.is_string()) return 0;
  const std::string& text = intOrPercent.get_ref<const std::string&>();
  if (text.empty() || text.back() != '%') return 0;
  char* end = nullptr;
  long percent = std::strtol(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size() - 1) return 0;
  double value = static_cast<double>(percent) * total / 100.0;
  return static_cast<int32_t>(roundUp ? std::ceil(value) : std::floor(value));
}

namespace {
std::pair<int32_t, int32_t> fenceposts(const DeploymentSpecView& d) {
  int32_t surge = scaledValue(d.maxSurge, d.replicas, true);
  int32_t unavailable = scaledValue(d.maxUnavailable, d.replicas, false);
  if (surge == 0 && unavailable == 0) unavailable = 1;
  return {surge, unavailable};
}
}  // namespace

int32_t maxSurge(const DeploymentSpecView& d) {
  if (d.recreate) return 0;
  return fenceposts(d).first;
}

int32_t maxUnavailable(const DeploymentSpecView& d) {
  if (d.recreate || d.replicas == 0) return 0;
  return std::min(fenceposts(d).second, d.replicas);
}

int32_t specReplicaSum(const ReplicaSets& sets) {
  int32_t n = 0;
  for (auto* rs : sets) n += rs->specReplicas;
  return n;
}

int32_t statusReplicaSum(const ReplicaSets& sets) {
  int32_t n = 0;
  for (auto* rs : sets) n += rs->replicas;
  return n;
}

int32_t availableSum(const ReplicaSets& sets) {
  int32_t n = 0;
  for (auto* rs : sets) n += rs->availableReplicas;
  return n;
}

int32_t readySum(const ReplicaSets& sets) {
  int32_t n = 0;
  for (auto* rs : sets) n += rs->readyReplicas;
  return n;
}

ReplicaSets activeOnly(const ReplicaSets& sets) {
  ReplicaSets out;
  for (auto* rs : sets) {
    if (rs->specReplicas > 0) out.push_back(rs);
  }
  return out;
}

void sortByCreation(ReplicaSets& sets) { std::sort(sets.begin(), sets.end(), olderThan); }

int32_t newReplicaSetReplicas(const DeploymentSpecView& d, const ReplicaSets& oldSets,
                              int32_t newSetReplicas) {
  if (d.recreate) return d.replicas;
  int32_t current = specReplicaSum(oldSets) + newSetReplicas;
  int32_t maxTotal = d.replicas + maxSurge(d);
  if (current >= maxTotal) return newSetReplicas;
  int32_t scaleUp = std::min(maxTotal - current, d.replicas - newSetReplicas);
  return newSetReplicas + scaleUp;
}

bool isSaturated(const DeploymentSpecView& d, const ReplicaSetView* newSet) {
  return newSet && newSet->specReplicas == d.replicas && newSet->desiredReplicas == d.replicas &&
         newSet->availableReplicas == d.replicas;
}

bool isScalingEvent(const DeploymentSpecView& d, const ReplicaSetView* newSet,
                    const ReplicaSets& oldSets) {
  for (auto* rs : activeOnly(withNew(oldSets, newSet))) {
    if (rs->desiredReplicas && *rs->desiredReplicas != d.replicas) return true;
  }
  return false;
}

ScalePlan scalePlan(const DeploymentSpecView& d, const ReplicaSetView* newSet,
                    const ReplicaSets& oldSets) {
  ScalePlan plan;
  const int32_t surge = maxSurge(d);
  // FindActiveOrLatest: one active set (or none: the newest) takes everything.
  if (newSet || !oldSets.empty()) {
    ReplicaSets newestFirst = oldSets;
    sortByCreation(newestFirst);
    std::reverse(newestFirst.begin(), newestFirst.end());
    ReplicaSets active = activeOnly(withNew(newestFirst, newSet));
    const ReplicaSetView* only = nullptr;
    if (active.empty()) only = newSet ? newSet : newestFirst.front();
    else if (active.size() == 1) only = active.front();
    if (only) {
      if (only->specReplicas != d.replicas ||
          annotationsNeedUpdate(*only, d.replicas, d.replicas + surge)) {
        plan.push_back({only, d.replicas});
      }
      return plan;
    }
  }
  if (isSaturated(d, newSet)) {
    for (auto* rs : activeOnly(oldSets)) plan.push_back({rs, 0});
    return plan;
  }
  if (d.recreate) return plan;
  ReplicaSets all = activeOnly(withNew(oldSets, newSet));
  int32_t allowed = d.replicas > 0 ? d.replicas + surge : 0;
  int32_t toAdd = allowed - specReplicaSum(all);
  if (toAdd > 0) {
    // ReplicaSetsBySizeNewer
    std::sort(all.begin(), all.end(), [](auto* a, auto* b) {
      if (a->specReplicas != b->specReplicas) return a->specReplicas > b->specReplicas;
      return olderThan(b, a);
    });
  } else if (toAdd < 0) {
    // ReplicaSetsBySizeOlder
    std::sort(all.begin(), all.end(), [](auto* a, auto* b) {
      if (a->specReplicas != b->specReplicas) return a->specReplicas > b->specReplicas;
      return olderThan(a, b);
    });
  }
  std::vector<int32_t> sizes;
  int32_t added = 0;
  for (auto* rs : all) {
    int32_t proportion = toAdd != 0 ? proportionOf(*rs, d, toAdd, added) : 0;
    sizes.push_back(rs->specReplicas + proportion);
    added += proportion;
  }
  for (size_t i = 0; i < all.size(); ++i) {
    if (i == 0 && toAdd != 0) sizes[i] = std::max(0, sizes[i] + toAdd - added);
    plan.push_back({all[i], sizes[i]});
  }
  return plan;
}

ScalePlan rollingScaleDownPlan(const DeploymentSpecView& d, const ReplicaSetView& newSet,
                               const ReplicaSets& oldSets) {
  ScalePlan plan;
  int32_t oldPods = specReplicaSum(oldSets);
  if (oldPods == 0) return plan;
  int32_t allPods = oldPods + newSet.specReplicas;
  int32_t minAvailable = d.replicas - maxUnavailable(d);
  int32_t newUnavailable = newSet.specReplicas - newSet.availableReplicas;
  int32_t maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return plan;

  ReplicaSets olds = oldSets;
  sortByCreation(olds);
  std::map<const ReplicaSetView*, int32_t> size;
  for (auto* rs : olds) size[rs] = rs->specReplicas;

  // cleanupUnhealthyReplicas: unavailable old pods go first, they cost no availability.
  int32_t cleaned = 0;
  for (auto* rs : olds) {
    if (cleaned >= maxScaledDown) break;
    if (size[rs] == 0 || size[rs] <= rs->availableReplicas) continue;
    int32_t n = std::min(maxScaledDown - cleaned, size[rs] - rs->availableReplicas);
    size[rs] -= n;
    cleaned += n;
  }

  // scaleDownOldReplicaSetsForRollingUpdate: as far as availability allows.
  ReplicaSets all = withNew(olds, &newSet);
  int32_t available = availableSum(all);
  if (available > minAvailable) {
    int32_t wanted = available - minAvailable;
    int32_t done = 0;
    for (auto* rs : olds) {
      if (done >= wanted) break;
      if (size[rs] == 0) continue;
      int32_t n = std::min(size[rs], wanted - done);
      size[rs] -= n;
      done += n;
    }
  }
  for (auto* rs : olds) {
    if (size[rs] != rs->specReplicas) plan.push_back({rs, size[rs]});
  }
  return plan;
}

int64_t maxRevision(const ReplicaSets& sets) {
  int64_t max = 0;
  for (auto* rs : sets) max = std::max(max, rs->revisionNumber);
  return max;
}

ReplicaSets historyToDelete(const DeploymentSpecView& d, const ReplicaSets& oldSets) {
  ReplicaSets out;
  if (!d.revisionHistoryLimit) return out;
  ReplicaSets cleanable;
  for (auto* rs : oldSets) {
    if (!rs->deleting) cleanable.push_back(rs);
  }
  int32_t diff = static_cast<int32_t>(cleanable.size()) - *d.revisionHistoryLimit;
  if (diff <= 0) return out;
  std::sort(cleanable.begin(), cleanable.end(), [](auto* a, auto* b) {
    if (a->revisionNumber != b->revisionNumber) return a->revisionNumber < b->revisionNumber;
    return olderThan(a, b);
  });
  for (int32_t i = 0; i < diff; ++i) {
    const ReplicaSetView* rs = cleanable[i];
    if (rs->replicas != 0 || rs->specReplicas != 0 || rs->generation > rs->observedGeneration) continue;
    out.push_back(rs);
  }
  return out;
}

DeploymentCounts deploymentCounts(const ReplicaSetView* newSet, const ReplicaSets& all) {
  DeploymentCounts c;
  c.replicas = statusReplicaSum(all);
  c.updated = newSet ? newSet->replicas : 0;
  c.ready = readySum(all);
  c.available = availableSum(all);
  c.unavailable = std::max(0, specReplicaSum(all) - c.available);
  return c;
}

}  // namespace minik
