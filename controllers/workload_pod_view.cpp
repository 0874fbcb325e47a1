#include "controllers/workload_pod_view.h"

#include <algorithm>
#include <cstdlib>

#include "controllers/object_fields.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

namespace {

PodPhase phaseOf(const std::string& phase) {
  if (phase == "Running") return PodPhase::Running;
  if (phase == "Succeeded") return PodPhase::Succeeded;
  if (phase == "Failed") return PodPhase::Failed;
  if (phase == "Unknown") return PodPhase::Unknown;
  return PodPhase::Pending;
}

}  // namespace

WorkloadPodView WorkloadPodView::fromObject(const json& pod) {
  WorkloadPodView v;
  v.ns = stringAt(pod, "/metadata/namespace");
  v.name = stringAt(pod, "/metadata/name");
  v.uid = stringAt(pod, "/metadata/uid");
  v.revision = std::atoll(stringAt(pod, "/metadata/resourceVersion").c_str());
  v.ownerUid = controllerUid(pod);
  v.nodeName = stringAt(pod, "/spec/nodeName");
  v.podIp = stringAt(pod, "/status/podIP");
  v.labels = labelsOf(pod);
  v.phase = phaseOf(stringAt(pod, "/status/phase"));
  v.deleting = isBeingDeleted(pod);
  std::string scheduler = stringAt(pod, "/spec/schedulerName");
  v.defaultScheduler = scheduler.empty() || scheduler == "default-scheduler";
  v.created = parseRfc3339(stringAt(pod, "/metadata/creationTimestamp"));
  const json& conditions = at(pod, "/status/conditions");
  if (conditions.is_array()) {
    for (const auto& c : conditions) {
      if (stringAt(c, "/type") != "Ready") continue;
      v.ready = stringAt(c, "/status") == "True";
      if (v.ready) v.readySince = parseRfc3339(stringAt(c, "/lastTransitionTime"));
    }
  }
  const json& statuses = at(pod, "/status/containerStatuses");
  if (statuses.is_array()) {
    for (const auto& s : statuses) {
      v.maxRestarts = std::max<int32_t>(v.maxRestarts, static_cast<int32_t>(intAt(s, "/restartCount")));
    }
  }
  std::string cost = stringAt(pod, "/metadata/annotations/controller.kubernetes.io~1pod-deletion-cost");
  if (!cost.empty()) v.deletionCost = std::atoi(cost.c_str());
  return v;
}

}  // namespace minik
