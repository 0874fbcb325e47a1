#include "controllers/deployment_controller.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "controllers/deployment_status.h"
#include "controllers/object_fields.h"
#include "controllers/pod_template_hash.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

namespace {

const char* const kRevision = "deployment.kubernetes.io/revision";
const char* const kRevisionHistory = "deployment.kubernetes.io/revision-history";
const char* const kDesiredReplicas = "deployment.kubernetes.io/desired-replicas";
const char* const kMaxReplicas = "deployment.kubernetes.io/max-replicas";
const char* const kHashLabel = "pod-template-hash";

// Deployment annotations not copied to its ReplicaSets (skipCopyAnnotation).
bool skipCopy(const std::string& key) {
  return key == "kubectl.kubernetes.io/last-applied-configuration" || key == kRevision ||
         key == kRevisionHistory || key == kDesiredReplicas || key == kMaxReplicas ||
         key == "deprecated.deployment.rollback.to";
}

}  // namespace

struct DeploymentController::Sync {
  json deployment;
  DeploymentSpecView spec;
  std::string ns, name, uid;
  std::vector<std::unique_ptr<ReplicaSetView>> owned;
  ReplicaSetView* newSet = nullptr;
  json status;  // the status carried into the next one (conditions set along the way)

  ReplicaSets olds() const {
    ReplicaSets out;
    for (auto& rs : owned) {
      if (rs.get() != newSet) out.push_back(rs.get());
    }
    return out;
  }
  ReplicaSets all() const {
    ReplicaSets out = olds();
    if (newSet) out.push_back(newSet);
    return out;
  }
  ReplicaSetView* mutableView(const ReplicaSetView* view) {
    for (auto& rs : owned) {
      if (rs.get() == view) return rs.get();
    }
    return nullptr;
  }
};

DeploymentController::DeploymentController(uv_loop_t* loop, ClusterClient& client,
                                           ViewCache<ReplicaSetView>& sets)
    : client_(client),
      sets_(sets),
      deploymentKind_(kindOf("apps", "deployments")),
      rsKind_(kindOf("apps", "replicasets")),
      queue_(loop, [this](const std::string& key) { return sync(key); }) {
  sets_.listen([this](const ReplicaSetView* before, const ReplicaSetView* after) {
    for (const ReplicaSetView* rs : {before, after}) {
      if (!rs || rs->ownerUid.empty()) continue;
      auto it = keyByUid_.find(rs->ownerUid);
      if (it != keyByUid_.end()) queue_.add(it->second);
    }
  });
}

void DeploymentController::deploymentChanged(const json& deployment) {
  std::string key = objectKey(deployment);
  keyByUid_[stringAt(deployment, "/metadata/uid")] = key;
  queue_.add(key);
}

void DeploymentController::deploymentDeleted(const json& deployment) {
  std::string uid = stringAt(deployment, "/metadata/uid");
  if (!uid.empty()) keyByUid_.erase(uid);
  else {
    std::string key = objectKey(deployment);
    for (auto it = keyByUid_.begin(); it != keyByUid_.end(); ++it) {
      if (it->second == key) {
        keyByUid_.erase(it);
        break;
      }
    }
  }
}

WorkQueue::Outcome DeploymentController::sync(const std::string& key) {
  Sync s;
  splitKey(key, &s.ns, &s.name);
  ClientResult current = client_.get(deploymentKind_, s.ns, s.name);
  if (!current.ok()) {
    return current.code() == 404 ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
  }
  s.deployment = std::move(current.object);
  s.spec = DeploymentSpecView::fromObject(s.deployment);
  s.uid = stringAt(s.deployment, "/metadata/uid");
  keyByUid_[s.uid] = key;
  s.status = at(s.deployment, "/status").is_object() ? s.deployment["status"] : json::object();

  const std::string digest = templateDigest(at(s.deployment, "/spec/template"));
  for (const ReplicaSetView* rs : sets_.ownedBy(s.uid)) s.owned.push_back(std::make_unique<ReplicaSetView>(*rs));
  std::sort(s.owned.begin(), s.owned.end(), [](auto& a, auto& b) {
    return a->created != b->created ? a->created < b->created : a->name < b->name;
  });
  for (auto& rs : s.owned) {
    if (rs->templateDigest == digest) {
      s.newSet = rs.get();  // the oldest with the current template (FindNewReplicaSet)
      break;
    }
  }

  if (isBeingDeleted(s.deployment)) return finish(s, false);

  bool scaled = false;
  if (s.spec.paused || isScalingEvent(s.spec, s.newSet, s.olds())) {
    if (!applyPlan(s, scalePlan(s.spec, s.newSet, s.olds()), &scaled)) return WorkQueue::Outcome::retry();
    if (s.spec.paused && !cleanupHistory(s)) return WorkQueue::Outcome::retry();
    return finish(s, false);
  }

  if (s.spec.recreate) {
    ScalePlan down;
    for (const ReplicaSetView* rs : activeOnly(s.olds())) down.push_back({rs, 0});
    if (!down.empty()) {
      if (!applyPlan(s, down, &scaled)) return WorkQueue::Outcome::retry();
      return finish(s, true);
    }
    // oldPodsRunning: wait until the old sets report no pods.
    if (statusReplicaSum(s.olds()) > 0) return finish(s, true);
    if (!s.newSet) {
      if (!ensureNewSet(s, s.spec.replicas)) return WorkQueue::Outcome::retry();
    } else {
      if (!syncRevision(s)) return WorkQueue::Outcome::retry();
      if (!scaleSet(s, *s.newSet, s.spec.replicas, &scaled)) return WorkQueue::Outcome::retry();
    }
    if (deploymentComplete(s.spec, s.status) && !cleanupHistory(s)) return WorkQueue::Outcome::retry();
    return finish(s, true);
  }

  // RollingUpdate.
  if (!s.newSet) {
    if (!ensureNewSet(s, newReplicaSetReplicas(s.spec, s.olds(), 0))) return WorkQueue::Outcome::retry();
    return finish(s, true);
  }
  if (!syncRevision(s)) return WorkQueue::Outcome::retry();
  if (s.newSet->specReplicas != s.spec.replicas) {
    int32_t target = s.newSet->specReplicas > s.spec.replicas
                         ? s.spec.replicas
                         : newReplicaSetReplicas(s.spec, s.olds(), s.newSet->specReplicas);
    if (!scaleSet(s, *s.newSet, target, &scaled)) return WorkQueue::Outcome::retry();
    if (scaled) return finish(s, true);
  }
  if (!applyPlan(s, rollingScaleDownPlan(s.spec, *s.newSet, activeOnly(s.olds())), &scaled)) {
    return WorkQueue::Outcome::retry();
  }
  if (scaled) return finish(s, true);
  if (!cleanupHistory(s)) return WorkQueue::Outcome::retry();
  return finish(s, true);
}

bool DeploymentController::ensureNewSet(Sync& s, int32_t replicas) {
  const json& templ = at(s.deployment, "/spec/template");
  const std::string hash = podTemplateHash(templ, s.spec.collisionCount);
  json rsTemplate = templ;
  rsTemplate["metadata"]["labels"][kHashLabel] = hash;
  json selector = at(s.deployment, "/spec/selector");
  selector["matchLabels"][kHashLabel] = hash;
  const int64_t revision = maxRevision(s.olds()) + 1;
  json annotations = json::object();
  const json& own = at(s.deployment, "/metadata/annotations");
  if (own.is_object()) {
    for (auto it = own.begin(); it != own.end(); ++it) {
      if (!skipCopy(it.key())) annotations[it.key()] = it.value();
    }
  }
  annotations[kRevision] = std::to_string(revision);
  annotations[kDesiredReplicas] = std::to_string(s.spec.replicas);
  annotations[kMaxReplicas] = std::to_string(s.spec.replicas + maxSurge(s.spec));
  json spec = {{"replicas", replicas}, {"selector", selector}, {"template", rsTemplate}};
  if (s.spec.minReadySeconds > 0) spec["minReadySeconds"] = s.spec.minReadySeconds;
  json rs = {{"apiVersion", "apps/v1"},
             {"kind", "ReplicaSet"},
             {"metadata",
              {{"name", s.name + "-" + hash},
               {"namespace", s.ns},
               {"labels", rsTemplate["metadata"]["labels"]},
               {"annotations", annotations},
               {"ownerReferences", json::array({controllerRef(deploymentKind_, s.deployment)})}}},
             {"spec", spec}};
  ClientResult created = client_.create(rsKind_, s.ns, rs);
  json result;
  bool fresh = true;
  if (created.ok()) {
    result = std::move(created.object);
  } else if (errorReason(created) == "AlreadyExists") {
    ClientResult existing = client_.get(rsKind_, s.ns, s.name + "-" + hash);
    if (!existing.ok()) return false;
    if (controllerUid(existing.object) != s.uid ||
        templateDigest(at(existing.object, "/spec/template")) != templateDigest(templ)) {
      // A different set holds the name: change the hash input and try again.
      json status = s.deployment["status"];
      status["collisionCount"] = s.spec.collisionCount.value_or(0) + 1;
      json next = s.deployment;
      next["status"] = status;
      client_.update(deploymentKind_, s.ns, s.name, next, "status");
      return false;
    }
    result = std::move(existing.object);
    fresh = false;
  } else {
    std::fprintf(stderr, "minik: deployment %s/%s: cannot create its ReplicaSet: %s\n", s.ns.c_str(),
                 s.name.c_str(), created.error->status.value("message", "").c_str());
    return false;
  }
  sets_.upsert(result);
  auto view = std::make_unique<ReplicaSetView>(ReplicaSetView::fromObject(result));
  s.newSet = view.get();
  s.owned.push_back(std::move(view));
  if (fresh && s.spec.progressDeadlineSeconds) {
    setDeploymentCondition(s.status,
                           deploymentCondition("Progressing", "True", kNewReplicaSetReason,
                                               "Created new replica set " + json(s.newSet->name).dump(),
                                               nowRfc3339()));
  }
  return syncRevision(s);
}

// The new set carries the highest revision; the Deployment shows it.
bool DeploymentController::syncRevision(Sync& s) {
  ReplicaSetView& rs = *s.newSet;
  const int64_t wanted = maxRevision(s.olds()) + 1;
  if (rs.revisionNumber < wanted) {
    json annotations = {{kRevision, std::to_string(wanted)}};
    if (rs.revisionNumber > 0) {
      ClientResult current = client_.get(rsKind_, rs.ns, rs.name);
      if (!current.ok()) return false;
      std::string history = stringAt(current.object, "/metadata/annotations/deployment.kubernetes.io~1revision-history");
      std::string old = std::to_string(rs.revisionNumber);
      annotations[kRevisionHistory] = history.empty() ? old : history + "," + old;
    }
    json patch = {{"metadata", {{"resourceVersion", std::to_string(rs.revision)}, {"annotations", annotations}}}};
    ClientResult r = client_.patch(rsKind_, rs.ns, rs.name, PatchType::Merge, patch);
    if (!r.ok()) return false;
    sets_.upsert(r.object);
    rs = ReplicaSetView::fromObject(r.object);
  }
  const std::string revision = std::to_string(rs.revisionNumber);
  if (stringAt(s.deployment, "/metadata/annotations/deployment.kubernetes.io~1revision") != revision) {
    json patch = {{"metadata",
                   {{"resourceVersion", stringAt(s.deployment, "/metadata/resourceVersion")},
                    {"annotations", {{kRevision, revision}}}}}};
    ClientResult r = client_.patch(deploymentKind_, s.ns, s.name, PatchType::Merge, patch);
    if (!r.ok()) return false;
    s.deployment = std::move(r.object);
  }
  if (s.spec.progressDeadlineSeconds && !findCondition(s.status, "Progressing")) {
    setDeploymentCondition(s.status,
                           deploymentCondition("Progressing", "True", kFoundNewReplicaSetReason,
                                               "Found new replica set " + json(rs.name).dump(),
                                               nowRfc3339()));
  }
  return true;
}

bool DeploymentController::scaleSet(Sync& s, ReplicaSetView& rs, int32_t replicas, bool* scaled) {
  const int32_t desired = s.spec.replicas;
  const int32_t max = s.spec.replicas + maxSurge(s.spec);
  if (rs.specReplicas == replicas && rs.desiredReplicas == desired && rs.maxReplicas == max) return true;
  json patch = {{"metadata",
                 {{"resourceVersion", std::to_string(rs.revision)},
                  {"annotations", {{kDesiredReplicas, std::to_string(desired)},
                                   {kMaxReplicas, std::to_string(max)}}}}},
                {"spec", {{"replicas", replicas}}}};
  ClientResult r = client_.patch(rsKind_, rs.ns, rs.name, PatchType::Merge, patch);
  if (!r.ok()) return r.code() == 404;
  if (rs.specReplicas != replicas) *scaled = true;
  sets_.upsert(r.object);
  rs = ReplicaSetView::fromObject(r.object);
  return true;
}

bool DeploymentController::applyPlan(Sync& s, const ScalePlan& plan, bool* scaled) {
  for (const auto& [view, replicas] : plan) {
    ReplicaSetView* rs = s.mutableView(view);
    if (rs && !scaleSet(s, *rs, replicas, scaled)) return false;
  }
  return true;
}

bool DeploymentController::cleanupHistory(Sync& s) {
  for (const ReplicaSetView* rs : historyToDelete(s.spec, s.olds())) {
    ClientResult r = client_.remove(rsKind_, rs->ns, rs->name, {});
    if (!r.ok() && r.code() != 404) return false;
    sets_.forgetDeleted(rs->ns, rs->name);
  }
  return true;
}

WorkQueue::Outcome DeploymentController::finish(Sync& s, bool rollout) {
  StatusInput in;
  in.current = &s.status;
  in.spec = s.spec;
  in.counts = deploymentCounts(s.newSet, s.all());
  in.newSetName = s.newSet ? s.newSet->name : "";
  in.rollout = rollout;
  in.now = epochNow();
  const json& written = at(s.deployment, "/status");
  json next = nextDeploymentStatus(in);
  if (next != written) {
    json object = s.deployment;
    object["status"] = next;
    ClientResult r = client_.update(deploymentKind_, s.ns, s.name, object, "status");
    if (!r.ok()) return r.code() == 404 ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
  }
  int64_t deadline = rollout ? secondsToProgressDeadline(s.spec, next, in.now) : -1;
  if (deadline >= 0) return WorkQueue::Outcome::after(static_cast<uint64_t>(deadline + 1) * 1000);
  return WorkQueue::Outcome::done();
}

}  // namespace minik
