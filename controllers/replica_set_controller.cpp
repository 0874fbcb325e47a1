#include "controllers/replica_set_controller.h"

#include <algorithm>
#include <cstdio>

#include "controllers/object_fields.h"
#include "controllers/pod_ranking.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

namespace {

// controller.burstReplicas: at most this many pods created or deleted per sync.
constexpr int32_t kBurstReplicas = 500;

bool labelsInclude(const Labels& labels, const Labels& wanted) {
  for (const auto& [k, v] : wanted) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

json countOrNull(int64_t n) { return n == 0 ? json(nullptr) : json(n); }

}  // namespace

ReplicaSetController::ReplicaSetController(uv_loop_t* loop, ClusterClient& client,
                                           ViewCache<ReplicaSetView>& sets, ViewCache<WorkloadPodView>& pods)
    : client_(client),
      sets_(sets),
      pods_(pods),
      rsKind_(kindOf("apps", "replicasets")),
      podKind_(kindOf("", "pods")),
      queue_(loop, [this](const std::string& key) { return sync(key); }) {
  sets_.listen([this](const ReplicaSetView* before, const ReplicaSetView* after) {
    if (before) setKeyByUid_.erase(before->uid);
    if (after) {
      setKeyByUid_[after->uid] = objectKey(after->ns, after->name);
      queue_.add(objectKey(after->ns, after->name));
    }
  });
  pods_.listen([this](const WorkloadPodView* before, const WorkloadPodView* after) {
    for (const WorkloadPodView* p : {before, after}) {
      if (!p || p->ownerUid.empty()) continue;
      auto it = setKeyByUid_.find(p->ownerUid);
      if (it != setKeyByUid_.end()) queue_.add(it->second);
    }
  });
}

WorkQueue::Outcome ReplicaSetController::sync(const std::string& key) {
  const ReplicaSetView* found = sets_.find(key);
  if (!found) return WorkQueue::Outcome::done();
  const ReplicaSetView rs = *found;  // writes below may replace the cached view
  std::vector<const WorkloadPodView*> active;
  for (const WorkloadPodView* p : pods_.ownedBy(rs.uid)) {
    if (p->active()) active.push_back(p);
  }
  bool ok = true;
  if (!rs.deleting) {
    int32_t diff = static_cast<int32_t>(active.size()) - rs.specReplicas;
    if (diff < 0) ok = createPods(rs, std::min(-diff, kBurstReplicas));
    else if (diff > 0) ok = deletePods(rs, active, static_cast<size_t>(std::min(diff, kBurstReplicas)));
  }
  int64_t availableIn = 0;
  if (!writeStatus(rs, epochNow(), &availableIn)) ok = false;
  if (!ok) return WorkQueue::Outcome::retry();
  if (availableIn > 0) return WorkQueue::Outcome::after(static_cast<uint64_t>(availableIn) * 1000);
  return WorkQueue::Outcome::done();
}

bool ReplicaSetController::createPods(const ReplicaSetView& rs, int32_t count) {
  ClientResult current = client_.get(rsKind_, rs.ns, rs.name);
  if (!current.ok()) return current.code() == 404;
  const json& set = current.object;
  if (stringAt(set, "/metadata/uid") != rs.uid) return true;  // replaced meanwhile: its own sync follows
  const json& templ = at(set, "/spec/template");
  json metadata = {{"generateName", rs.name + "-"},
                   {"namespace", rs.ns},
                   {"ownerReferences", json::array({controllerRef(rsKind_, set)})}};
  for (const char* field : {"labels", "annotations", "finalizers"}) {
    const json& value = at(templ, (std::string("/metadata/") + field).c_str());
    if (!value.is_null()) metadata[field] = value;
  }
  json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", std::move(metadata)},
              {"spec", at(templ, "/spec")}};
  for (int32_t i = 0; i < count; ++i) {
    ClientResult created = client_.create(podKind_, rs.ns, pod);
    if (!created.ok()) {
      std::fprintf(stderr, "minik: replicaset %s/%s: cannot create a pod: %s\n", rs.ns.c_str(),
                   rs.name.c_str(), created.error->status.value("message", "").c_str());
      return false;
    }
    pods_.upsert(created.object);
  }
  return true;
}

bool ReplicaSetController::deletePods(const ReplicaSetView& rs, const std::vector<const WorkloadPodView*>& active,
                                      size_t count) {
  std::vector<const WorkloadPodView*> victims = podsToDelete(active, active, count, epochNow());
  std::vector<std::pair<std::string, std::string>> names;
  for (auto* p : victims) names.emplace_back(p->ns, p->name);
  bool ok = true;
  for (const auto& [ns, name] : names) {
    ClientResult r = client_.remove(podKind_, ns, name, {});
    if (r.ok() || r.code() == 404) {
      if (r.ok() && isBeingDeleted(r.object)) pods_.upsert(r.object);
      else pods_.forgetDeleted(ns, name);
    } else {
      ok = false;
    }
  }
  return ok;
}

bool ReplicaSetController::writeStatus(const ReplicaSetView& rs, int64_t now, int64_t* nextAvailableIn) {
  int32_t replicas = 0, fullyLabeled = 0, ready = 0, available = 0;
  for (const WorkloadPodView* p : pods_.ownedBy(rs.uid)) {
    if (!p->active()) continue;
    ++replicas;
    if (labelsInclude(p->labels, rs.templateLabels)) ++fullyLabeled;
    if (p->ready) ++ready;
    if (p->availableAt(rs.minReadySeconds, now)) {
      ++available;
    } else if (p->ready && rs.minReadySeconds > 0 && p->readySince > 0) {
      int64_t wait = p->readySince + rs.minReadySeconds - now;
      if (*nextAvailableIn == 0 || wait < *nextAvailableIn) *nextAvailableIn = std::max<int64_t>(wait, 1);
    }
  }
  if (replicas == rs.replicas && fullyLabeled == rs.fullyLabeledReplicas && ready == rs.readyReplicas &&
      available == rs.availableReplicas && rs.observedGeneration == rs.generation) {
    return true;
  }
  json patch = {{"status",
                 {{"replicas", replicas},
                  {"fullyLabeledReplicas", countOrNull(fullyLabeled)},
                  {"readyReplicas", countOrNull(ready)},
                  {"availableReplicas", countOrNull(available)},
                  {"observedGeneration", countOrNull(rs.generation)}}}};
  ClientResult r = client_.patch(rsKind_, rs.ns, rs.name, PatchType::Merge, patch, "status");
  if (r.ok()) {
    sets_.upsert(r.object);
    return true;
  }
  return r.code() == 404;
}

}  // namespace minik
